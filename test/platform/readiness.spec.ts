import { createTestDatabase } from '../support/db';
import { pollReady } from '../support/readiness';
import { TcpProxy } from '../support/tcp-proxy';
import { TestApp, testConfig } from '../support/test-app';

/** /api/v1/health/ready: what it reports, and that a flood of probes does not become a flood of queries. */
describe('readiness', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const proxied = await TcpProxy.before(db.url, 5432);
    proxy = proxied.proxy;
    // No worker: it would race the probe for the event, and its polls would go through the proxy being measured.
    const worker = { ...testConfig().worker, enabled: false };
    // A generous probe timeout: on a loaded CI machine one check can take seconds, and then every probe waiting
    // on it answers 503. The outage below is a refusal, which fails at once whatever the timeouts.
    t = await TestApp.start({ databaseUrl: proxied.url, config: { worker, readinessTimeoutMs: 10_000 } });
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
    await drop();
  });

  it('lists the database and the automation backlog (redis only when configured)', async () => {
    const ws = await t.workspace('ready');
    const key = await ws.key(['*']);
    expect((await t.post('/api/v1/leads', { first_name: 'Ada' }, { key })).status).toBe(201);
    const res = await pollReady(t, (b) => (b.backlog?.events ?? 0) > 0);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      database: 'ok',
      backlog: { events: 1, oldest_event_age_seconds: expect.any(Number), webhooks_due: 0 },
      checked_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body).not.toHaveProperty('redis');
  });

  it('a flood of probes costs about one database query a second, not one each', async () => {
    await t.get('/api/v1/health/ready');
    const before = proxy.bytesUp;
    await new Promise((r) => setTimeout(r, 1100)); // let the cached result expire
    const one = await t.get('/api/v1/health/ready');
    expect(one.status).toBe(200);
    const perProbe = proxy.bytesUp - before;
    expect(perProbe).toBeGreaterThan(0);

    const start = proxy.bytesUp;
    const started = Date.now();
    const flood = await Promise.all(Array.from({ length: 200 }, () => t.get('/api/v1/health/ready')));
    const seconds = Math.ceil((Date.now() - started) / 1000);
    // Which probes failed and what they said (a 503 means one check failed or took over 10 s).
    expect(flood.filter((r) => r.status !== 200).map((r) => [r.status, r.body])).toEqual([]);
    // Uncached, that would be 200 probes' worth of bytes.
    expect(proxy.bytesUp - start).toBeLessThanOrEqual(perProbe * (seconds + 1));
  });

  it('503 with the details while the database does not answer, ok again by itself', async () => {
    proxy.refuse();
    try {
      const down = await pollReady(t, (b) => b.status === 'unavailable');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'unavailable', database: 'unavailable', backlog: null });
    } finally {
      proxy.forward();
    }
    const up = await pollReady(t, (b) => b.status === 'ok');
    expect(up.status).toBe(200);
  });
});
