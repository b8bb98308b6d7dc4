import { createHmac } from 'node:crypto';
import { api, engineTestConfig, Receiver, waitFor } from '../engine/engine-support';
import { TestApp } from '../support/test-app';
import { createIntegration, deliveries } from './integration-support';

const email = (name: string) => [name, 'example.com'].join('@');

describe('webhook subscriptions (REST hooks)', () => {
  let t: TestApp;
  let receiver: Receiver;
  let key: string;

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start({ config: engineTestConfig() });
    key = await (await t.workspace('subs')).key();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const subscribe = (path: string, eventTypes: string[], k = key, extra: Record<string, unknown> = {}) =>
    createIntegration(t, k, 'webhook', { url: receiver.url(path), event_types: eventTypes, ...extra });
  const bodies = (path: string) => receiver.at(path).map((r) => JSON.parse(r.body));

  it('delivers every subscribed event of the workspace, signed, and nothing else', async () => {
    const sub = await subscribe('/zap', ['lead.created', 'tag.added'], key, { secret: 'whsec_123' });
    const lead = await api(t, key).lead({ first_name: 'Sub', email: email('sub.hook'), tags: ['vip'] });
    await api(t, key).patchLead(lead.id, { company: 'Acme' }); // lead.updated: not subscribed
    await waitFor(
      async () => receiver.at('/zap'),
      (r) => r.length === 2,
    );
    const got = bodies('/zap');
    expect(got.map((b) => b.type).sort()).toEqual(['lead.created', 'tag.added']);
    const created = got.find((b) => b.type === 'lead.created');
    expect(created).toMatchObject({
      type: 'lead.created',
      workspace: { slug: 'subs' },
      data: { lead: { id: lead.id, email: email('sub.hook') } },
    });
    const req = receiver.at('/zap').find((r) => JSON.parse(r.body).type === 'lead.created')!;
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-leadhub-signature']))!;
    expect(v1).toBe(createHmac('sha256', 'whsec_123').update(`${ts}.${req.body}`).digest('hex'));
    expect(req.headers['x-leadhub-event']).toBe('lead.created');
    const list = await waitFor(
      () => deliveries(t, key, sub.id),
      (l) => l.length === 2 && l.every((d) => d.status === 'delivered'),
    );
    expect(list.map((d) => d.kind)).toEqual(['subscription', 'subscription']);
    expect(list.every((d) => d.lead_id === lead.id && d.automation_run_id === null)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.at('/zap')).toHaveLength(2);
  });

  it('retries a failing receiver with the same delivery id until it answers', async () => {
    const sub = await subscribe('/flaky', ['lead.created']);
    receiver.respond('/flaky', 500, 502, 200);
    await api(t, key).lead({ first_name: 'Flaky', email: email('flaky.hook') });
    const [d] = await waitFor(
      () => deliveries(t, key, sub.id),
      (l) => l[0]?.status === 'delivered',
    );
    expect(d.attempts).toBe(3);
    const ids = new Set(receiver.at('/flaky').map((r) => r.headers['x-leadhub-delivery']));
    expect([...ids]).toEqual([d.id]);
  });

  it('unsubscribing (DELETE) or deactivating stops deliveries; other workspaces never reach it', async () => {
    const sub = await subscribe('/bye', ['lead.created']);
    const paused = await subscribe('/paused', ['lead.created'], key, {});
    await t.patch(`/api/v1/integrations/${paused.id}`, { is_active: false }, { key });
    const otherKey = await (await t.workspace('subs-other')).key();
    await api(t, otherKey).lead({ first_name: 'Other', email: email('other.hook') });
    await api(t, key).lead({ first_name: 'Before', email: email('before.hook') });
    await waitFor(
      async () => receiver.at('/bye'),
      (r) => r.length === 1,
    );
    expect(bodies('/bye')[0].data.lead.first_name).toBe('Before');
    expect((await t.delete(`/api/v1/integrations/${sub.id}`, { key })).status).toBe(204);
    const after = await api(t, key).lead({ first_name: 'After', email: email('after.hook') });
    await waitFor(
      () => t.sql('SELECT 1 FROM domain_events WHERE lead_id = $1 AND processed_at IS NOT NULL', [after.id]),
      (r) => r.length > 0,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.at('/bye')).toHaveLength(1);
    expect(receiver.at('/paused')).toEqual([]);
    expect(bodies('/bye').some((b) => b.workspace.slug === 'subs-other')).toBe(false);
  });

  it('subscribing needs event types of the catalog', async () => {
    const bad = await t.post(
      '/api/v1/integrations',
      {
        type: 'webhook',
        name: 'x',
        config: { url: 'https://93.184.215.14/', event_types: ['lead.deleted'] },
      },
      { key },
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['config.event_types']);
  });
});
