import { createHmac } from 'node:crypto';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, Receiver, waitFor } from './engine-support';

const SECRET = 'whsec_engine_test_0123456789';

describe('automation engine: webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  let a: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await TestApp.start({ config: engineTestConfig() });
    receiver = await Receiver.start();
    a = api(t, await (await t.workspace('hooks')).key());
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const deliveries = (runId: number) =>
    t.sql<{ id: string; status: string; attempts: number; last_status_code: number | null }>(
      'SELECT id, status, attempts, last_status_code FROM webhook_deliveries WHERE automation_run_id = $1',
      [runId],
    );

  it('POSTs the event with the lead; the receiver verifies the signature', async () => {
    const automation = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [
        { type: 'add_tag', tag: 'hooked' },
        { type: 'send_webhook', url: receiver.url('/signed'), secret: SECRET },
      ],
    });
    const lead = await a.lead({ first_name: 'Ada', source: 'website' });
    const [req] = await waitFor(
      async () => receiver.at('/signed'),
      (r) => r.length === 1,
    );
    const body = JSON.parse(req.body);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-leadhub-event']).toBe('lead.created');
    expect(req.headers['x-leadhub-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-leadhub-signature']));
    expect(sig).not.toBeNull();
    const expected = createHmac('sha256', SECRET).update(`${sig![1]}.${req.body}`).digest('hex');
    expect(sig![2]).toBe(expected);
    expect(Math.abs(Number(sig![1]) - Date.now() / 1000)).toBeLessThan(60);
    expect(body).toMatchObject({
      type: 'lead.created',
      workspace: { slug: 'hooks' },
      data: {
        lead: { id: lead.id, first_name: 'Ada', source: 'website', tags: ['hooked'] },
        changes: { first_name: { from: null, to: 'Ada' } },
      },
    });
    expect(Number.isInteger(body.id)).toBe(true);
    expect(body.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const [run] = await a.runs(automation.id);
    expect(run.status).toBe('succeeded');
    expect(run.actions_applied[1]).toMatchObject({
      type: 'send_webhook',
      url: receiver.url('/signed'),
      delivery_id: req.headers['x-leadhub-delivery'],
      signed: true,
    });
    expect(JSON.stringify(run)).not.toContain(SECRET);
    await waitFor(
      () => deliveries(run.id),
      (d) => d[0]?.status === 'delivered',
    );
  });

  it('retries a 5xx with backoff and delivers once, with the same delivery id', async () => {
    receiver.respond('/flaky', 500, 503, 200);
    const automation = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: receiver.url('/flaky') }],
    });
    await a.lead({ first_name: 'Flaky' });
    const [run] = await waitFor(
      () => a.runs(automation.id),
      (r) => r.length === 1,
    );
    const [delivery] = await waitFor(
      () => deliveries(run.id),
      (d) => d[0]?.status === 'delivered',
    );
    expect(delivery).toMatchObject({ attempts: 3, last_status_code: 200 });
    const got = receiver.at('/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['x-leadhub-delivery']))).toEqual(new Set([delivery.id]));
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(got[0].headers['x-leadhub-signature']).toBeUndefined(); // no secret: unsigned
    expect((await a.runs(automation.id))[0].status).toBe('succeeded');
  });

  it('does not retry a 4xx: the delivery and the run are failed', async () => {
    receiver.respond('/rejects', 400);
    const automation = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: receiver.url('/rejects'), secret: SECRET }],
    });
    await a.lead({ first_name: 'Rejected' });
    const [run] = await waitFor(
      () => a.runs(automation.id),
      (r) => r[0]?.status === 'failed',
    );
    expect(run.error).toContain('HTTP 400');
    const [delivery] = await deliveries(run.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 400 });
    // Well past the first retry delay (20 ms in these tests): still one request.
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.at('/rejects')).toHaveLength(1);
  });

  it('gives up after the last attempt and fails the run', async () => {
    // 8 attempts; delays 20 ms × (1, 4, 20, 60, 120, 360, 1440) ≈ 40 s in all would be too slow: an app of its own
    // with 1 ms instead (≈ 2 s). Moving next_attempt_at by hand would also move a lease in flight: a 9th attempt.
    const config = engineTestConfig();
    const fast = await TestApp.start({
      config: { ...config, worker: { ...config.worker!, webhookBackoffMs: 1 } },
    });
    try {
      const f = api(fast, await (await fast.workspace('hooks-down')).key());
      receiver.respond('/down', 502);
      const automation = await f.automation({
        trigger: { type: 'lead.created' },
        actions: [{ type: 'send_webhook', url: receiver.url('/down') }],
      });
      await f.lead({ first_name: 'Down' });
      const [run] = await waitFor(
        () => f.runs(automation.id),
        (r) => r[0]?.status === 'failed',
        30_000,
      );
      expect(run.error).toContain('after 8 attempt(s)');
      expect(receiver.at('/down')).toHaveLength(8);
    } finally {
      await fast.close();
    }
  });
});
