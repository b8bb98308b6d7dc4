import { api, engineTestConfig, Receiver, waitFor } from '../engine/engine-support';
import { TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-0123456789';

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await TestApp.start({ config: { ...engineTestConfig(), metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const scrape = async () => {
    const res = await t.get('/metrics', {
      headers: { Authorization: `Bearer ${TOKEN}` },
      unchecked: true,
      direct: true,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('needs the bearer token', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer wrong' },
      { Authorization: TOKEN },
    ];
    for (const headers of attempts) {
      const res = await t.get('/metrics', { headers, unchecked: true, direct: true });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
      expect(res.body).toMatchObject({ status: 'error', code: 'UNAUTHORIZED' });
    }
  });

  it('counts requests by route template, status and error code, with durations, pool and backlog', async () => {
    const ws = await t.workspace('metrics');
    const key = await ws.key();
    await t.get('/api/v1/leads/999999', { key });
    await t.get('/api/v1/tags', { key });
    const text = await scrape();
    expect(text).toContain(
      'leadhub_http_requests_total{method="GET",route="/api/v1/leads/:id",status="404",code="NOT_FOUND"} 1',
    );
    expect(text).toContain(
      'leadhub_http_requests_total{method="GET",route="/api/v1/tags",status="200",code=""} 1',
    );
    // Durations: counted (a bucket bound would make the test depend on the machine's speed).
    expect(text).toMatch(
      /leadhub_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tags",status="200"\} 1/,
    );
    expect(text).toMatch(
      /leadhub_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/v1\/tags",status="200"\} 1/,
    );
    expect(text).toMatch(/leadhub_db_pool_connections\{state="max"\} 10/);
    expect(text).toMatch(/leadhub_db_pool_connections\{state="idle"\} \d+/);
    expect(text).toMatch(/leadhub_automation_backlog_events \d+/);
    expect(text).toMatch(/leadhub_webhook_backlog_deliveries \d+/);
    expect(text).toContain('leadhub_process_cpu_seconds_total');
  });

  it('counts rate-limit rejections', async () => {
    const ws = await t.workspace('metrics-rl');
    const key = await ws.key(['*'], { rateLimit: 1 });
    await t.get('/api/v1/tags', { key });
    expect((await t.get('/api/v1/tags', { key })).status).toBe(429);
    expect(await scrape()).toMatch(/^leadhub_rate_limit_rejections_total 1$/m);
  });

  it('counts automation runs and webhook deliveries by outcome', async () => {
    const ws = await t.workspace('metrics-engine');
    const a = api(t, await ws.key());
    receiver.respond('/ok', 200);
    await a.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: receiver.url('/ok') }],
    });
    await a.lead({ first_name: 'Metric' });
    await waitFor(
      async () => receiver.at('/ok').length,
      (n) => n === 1,
    );
    const text = await waitFor(scrape, (s) =>
      /leadhub_webhook_delivery_attempts_total\{outcome="delivered"\} 1/.test(s),
    );
    expect(text).toMatch(/leadhub_automation_runs_total\{status="succeeded"\} \d+/);
  });
});

describe('GET /metrics: the automation backlog', () => {
  it('counts pending events and tells the age of the oldest', async () => {
    // No worker: the events stay pending.
    const t = await TestApp.start({
      config: { ...engineTestConfig({ worker: false }), metricsToken: TOKEN },
    });
    try {
      const ws = await t.workspace('metrics-backlog');
      const a = api(t, await ws.key());
      const lead = await a.lead({ first_name: 'Waiting' });
      await a.lead({ first_name: 'Waiting too' });
      await t.sql(`UPDATE domain_events SET created_at = now() - interval '2 hours' WHERE lead_id = $1`, [
        lead.id,
      ]);
      const res = await t.get('/metrics', {
        headers: { Authorization: `Bearer ${TOKEN}` },
        unchecked: true,
        direct: true,
      });
      expect(res.text).toMatch(/^leadhub_automation_backlog_events 2$/m);
      const age = Number(/^leadhub_automation_oldest_event_age_seconds (\S+)$/m.exec(res.text)?.[1]);
      expect(age).toBeGreaterThanOrEqual(7200);
      expect(age).toBeLessThan(7200 + 600);
    } finally {
      await t.close();
    }
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist', async () => {
    const t = await TestApp.start();
    try {
      const res = await t.get('/metrics', { unchecked: true, direct: true });
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
