import { api, engineTestConfig, waitFor } from '../engine/engine-support';
import { outsideServices } from '../../src/integrations/outside-services';
import { FakeMailgun, FakeSlack } from '../support/outside-fakes';
import { TestApp } from '../support/test-app';
import { createIntegration, deliveries } from './integration-support';

const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const email = (name: string) => [name, 'example.com'].join('@');

describe('send_email (Mailgun) and notify_slack (Slack) actions', () => {
  let t: TestApp;
  let us: FakeMailgun;
  let eu: FakeMailgun;
  let slack: FakeSlack;
  let key: string;

  beforeAll(async () => {
    us = await new FakeMailgun(MAILGUN_KEY).listen();
    eu = await new FakeMailgun(MAILGUN_KEY).listen();
    slack = await new FakeSlack().listen();
    t = await TestApp.start({
      config: {
        ...engineTestConfig(),
        outsideServices: outsideServices({
          LEADHUB_MAILGUN_API_URL: us.origin,
          LEADHUB_MAILGUN_EU_API_URL: eu.origin,
        }),
      },
    });
    key = await (await t.workspace('mail')).key();
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([us.close(), eu.close(), slack.close()]);
  });

  const mailgun = (k = key, config: Record<string, unknown> = {}) =>
    createIntegration(t, k, 'mailgun', {
      api_key: MAILGUN_KEY,
      domain: 'mg.example.com',
      region: 'eu',
      from_email: email('sales'),
      ...config,
    });
  const emailAutomation = (integrationId: number, source: string, extra: Record<string, unknown> = {}) =>
    api(t, key).automation({
      trigger: { type: 'lead.created', conditions: [{ field: 'source', operator: 'equals', value: source }] },
      actions: [
        {
          type: 'send_email',
          integration_id: integrationId,
          subject: 'Welcome, {{first_name}}!',
          text: 'Hello {{first_name}} from {{company}}',
          html: '<p>Hello {{first_name}}</p>',
          ...extra,
        },
      ],
    });
  const sentTo = (fake: FakeMailgun, address: string) =>
    fake.messages.filter((m) => m.fields.get('to') === address);

  it('renders the templates (HTML escaped in html only) and sends through the EU base with basic auth', async () => {
    const mg = await mailgun();
    const automation = await emailAutomation(mg.id, 'mail-happy');
    const lead = await api(t, key).lead({
      first_name: '<b>Ada</b>',
      company: 'A & B',
      email: email('ada.mail'),
      source: 'mail-happy',
    });
    await waitFor(
      async () => sentTo(eu, email('ada.mail')),
      (m) => m.length === 1,
    );
    const [message] = sentTo(eu, email('ada.mail'));
    expect(message.domain).toBe('mg.example.com');
    expect(Object.fromEntries(message.fields)).toMatchObject({
      from: email('sales'),
      to: email('ada.mail'),
      subject: 'Welcome, <b>Ada</b>!',
      text: 'Hello <b>Ada</b> from A & B',
      html: '<p>Hello &lt;b&gt;Ada&lt;&#x2F;b&gt;</p>',
    });
    expect(sentTo(us, email('ada.mail'))).toEqual([]);
    const [run] = await waitFor(
      () => api(t, key).runs(automation.id),
      (r) =>
        (r[0] as unknown as { deliveries: { status: string }[] })?.deliveries?.[0]?.status === 'delivered',
    );
    expect(run.actions_applied).toEqual([
      { type: 'send_email', integration_id: mg.id, to: email('ada.mail'), delivery_id: expect.any(String) },
    ]);
    const list = await deliveries(t, key, mg.id);
    expect(list[0]).toMatchObject({
      direction: 'outbound',
      kind: 'email',
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      lead_id: lead.id,
      automation_run_id: run.id,
      destination: `${eu.origin}/v3/mg.example.com/messages`,
    });
    expect(JSON.stringify(list)).not.toContain(MAILGUN_KEY);
  });

  it('retries while Mailgun fails and sends one e-mail', async () => {
    const mg = await mailgun(key, { region: 'us' });
    await emailAutomation(mg.id, 'mail-retry');
    us.failNext(503, 2, { message: 'Service Unavailable' });
    await api(t, key).lead({ first_name: 'Retry', email: email('retry.mail'), source: 'mail-retry' });
    const [d] = await waitFor(
      () => deliveries(t, key, mg.id),
      (l) => l[0]?.status === 'delivered',
    );
    expect(d.attempts).toBe(3);
    expect(sentTo(us, email('retry.mail'))).toHaveLength(1);
  });

  it('a refused key fails the delivery without repeating the key; retried after the fix it is sent', async () => {
    const mg = await mailgun(key, { api_key: 'key-wrong-0000' });
    await emailAutomation(mg.id, 'mail-401');
    await api(t, key).lead({ first_name: 'Auth', email: email('auth.mail'), source: 'mail-401' });
    const [failed] = await waitFor(
      () => deliveries(t, key, mg.id),
      (l) => l[0]?.status === 'failed',
    );
    expect(failed).toMatchObject({
      attempts: 1,
      last_status_code: 401,
      last_error: 'HTTP 401',
      next_attempt_at: null,
    });
    await t.patch(
      `/api/v1/integrations/${mg.id}`,
      { config: { ...mg.config, api_key: MAILGUN_KEY } },
      { key },
    );
    expect((await t.post(`/api/v1/deliveries/${failed.id}/retry`, undefined, { key })).status).toBe(200);
    await waitFor(
      () => deliveries(t, key, mg.id),
      (l) => l[0]?.status === 'delivered',
    );
    expect(sentTo(eu, email('auth.mail'))).toHaveLength(1);
  });

  it('an inactive integration sends nothing; deleting one cancels its pending deliveries', async () => {
    const off = await mailgun(key, { domain: 'off.example.com' });
    const automation = await emailAutomation(off.id, 'mail-off');
    await t.patch(`/api/v1/integrations/${off.id}`, { is_active: false }, { key });
    await api(t, key).lead({ first_name: 'Off', email: email('off.mail'), source: 'mail-off' });
    const [run] = await waitFor(
      () => api(t, key).runs(automation.id),
      (r) => r.length === 1,
    );
    expect(run.actions_applied).toEqual([
      {
        type: 'send_email',
        integration_id: off.id,
        delivery_id: null,
        skipped: 'The integration is inactive.',
      },
    ]);
    expect(eu.messages.filter((m) => m.domain === 'off.example.com')).toEqual([]);

    const gone = await mailgun(key, { domain: 'gone.example.com' });
    await emailAutomation(gone.id, 'mail-gone');
    eu.failNext(500, 10_000); // failing until the integration is gone
    await api(t, key).lead({ first_name: 'Gone', email: email('gone.mail'), source: 'mail-gone' });
    const [pending] = await waitFor(
      () => deliveries(t, key, gone.id),
      (l) => l[0]?.attempts >= 1 && l[0]?.last_status_code === 500,
    );
    expect((await t.delete(`/api/v1/integrations/${gone.id}`, { key })).status).toBe(204);
    const [row] = await waitFor(
      () =>
        t.sql<{ status: string; last_error: string }>(
          'SELECT status, last_error FROM webhook_deliveries WHERE id = $1',
          [pending.id],
        ),
      (r) => r[0]?.status === 'cancelled',
    );
    eu.recover();
    expect(row.last_error).toBe('The integration was deleted.');
    expect(eu.messages.filter((m) => m.domain === 'gone.example.com')).toEqual([]);
  });

  it('refuses, when saved, an action naming an integration of another type or workspace, or a bad template', async () => {
    const mg = await mailgun();
    const hook = await createIntegration(t, key, 'slack', {
      webhook_url: 'https://93.184.215.14/services/x',
    });
    const foreign = await mailgun(await (await t.workspace('mail-other')).key());
    const save = (action: Record<string, unknown>) =>
      t.post(
        '/api/v1/automations',
        { name: 'x', trigger: { type: 'lead.created' }, actions: [action] },
        { key },
      );
    for (const [action, path] of [
      [{ type: 'send_email', integration_id: hook.id, subject: 's', text: 't' }, 'actions.0.integration_id'],
      [
        { type: 'send_email', integration_id: foreign.id, subject: 's', text: 't' },
        'actions.0.integration_id',
      ],
      [{ type: 'notify_slack', integration_id: mg.id, text: 't' }, 'actions.0.integration_id'],
      [{ type: 'send_email', integration_id: mg.id, subject: 's' }, 'actions.0.text'],
      [
        { type: 'send_email', integration_id: mg.id, subject: 'Hi {{first_name', text: 't' },
        'actions.0.subject',
      ],
      [
        { type: 'send_email', integration_id: mg.id, subject: 's', html: '<p>{{{notes}}}</p>' },
        'actions.0.html',
      ],
      [{ type: 'notify_slack', integration_id: hook.id, text: '{{&first_name}}' }, 'actions.0.text'],
    ] as const) {
      const res = await save(action);
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([path]);
    }
    expect((await save({ type: 'send_email', integration_id: mg.id, subject: 's', text: 't' })).status).toBe(
      201,
    );
  });

  it('posts escaped, templated text to the Slack webhook, retrying while Slack fails', async () => {
    // The fake listens on 127.0.0.1: a tenant URL, guarded, allowed by engineTestConfig (allowPrivateUrls).
    const s = await createIntegration(t, key, 'slack', {
      webhook_url: slack.hookUrl('/services/T1/B1/abc'),
      channel: '#sales',
    });
    expect(s.config.webhook_url).toMatch(/^••••/);
    await api(t, key).automation({
      trigger: {
        type: 'lead.created',
        conditions: [{ field: 'source', operator: 'equals', value: 'slack' }],
      },
      actions: [
        { type: 'notify_slack', integration_id: s.id, text: 'New lead *{{first_name}}* ({{email}})' },
      ],
    });
    slack.failNext(500, 1, 'internal_error');
    await api(t, key).lead({ first_name: '<!channel> Bob & co', email: email('bob.slack'), source: 'slack' });
    const [d] = await waitFor(
      () => deliveries(t, key, s.id),
      (l) => l[0]?.status === 'delivered',
    );
    expect(d).toMatchObject({ kind: 'slack', attempts: 2, destination: slack.origin });
    expect(slack.messages).toEqual([
      {
        path: '/services/T1/B1/abc',
        payload: {
          text: `New lead *&lt;!channel&gt; Bob &amp; co* (${email('bob.slack')})`,
          channel: '#sales',
        },
      },
    ]);
  });
});
