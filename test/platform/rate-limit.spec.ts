import { TestApp } from '../support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

describe('rate limits (in-memory storage)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('sets X-RateLimit-* on success and on errors, Reset in the future and within the hour', async () => {
    const ws = await t.workspace('rl-headers');
    const key = await ws.key(['read:tags'], { rateLimit: 50 });
    const ok = await t.get('/api/v1/tags', { key });
    expect(ok.status).toBe(200);
    expect(ok.headers['x-ratelimit-limit']).toBe('50');
    expect(ok.headers['x-ratelimit-remaining']).toBe('49');
    const reset = Number(ok.headers['x-ratelimit-reset']);
    const now = Math.floor(Date.now() / 1000);
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 3600 + 1);

    const notFound = await t.get('/api/v1/tags/999999', { key });
    expect(notFound.status).toBe(404);
    expect(notFound.headers['x-ratelimit-remaining']).toBe('48');
    const invalid = await t.get('/api/v1/tags?per_page=0', { key });
    expect(invalid.status).toBe(422);
    expect(invalid.headers['x-ratelimit-remaining']).toBe('47');
    const forbidden = await t.post('/api/v1/tags', { name: 'x' }, { key });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['x-ratelimit-remaining']).toBe('46');
    expect(forbidden.headers['x-ratelimit-reset']).toBe(String(reset));
  });

  it('counts per key, not per route, and keys do not share a window', async () => {
    const ws = await t.workspace('rl-per-key');
    const a = await ws.key(['*'], { rateLimit: 3 });
    const b = await ws.key(['*'], { rateLimit: 3 });
    expect((await t.get('/api/v1/tags', { key: a })).status).toBe(200);
    expect((await t.get('/api/v1/tags/1', { key: a })).status).toBe(404);
    expect((await t.post('/api/v1/tags', { name: 'one' }, { key: a })).status).toBe(201);
    const blocked = await t.get('/api/v1/tags', { key: a });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      status: 'error',
      code: 'RATE_LIMITED',
      message: 'Rate limit of 3 requests per hour exceeded for this API key.',
    });
    expect(blocked.headers['x-ratelimit-remaining']).toBe('0');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await t.get('/api/v1/tags', { key: b })).status).toBe(200);
  });

  it('lets exactly N of 4×N concurrent requests through', async () => {
    const n = 25;
    const ws = await t.workspace('rl-burst');
    const key = await ws.key(['read:tags'], { rateLimit: n });
    const results = await Promise.all(
      Array.from({ length: 4 * n }, () => t.get('/api/v1/tags?per_page=1', { key })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(n);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3 * n);
  });
});

(REDIS_URL ? describe : describe.skip)('rate limits shared through Redis by two instances', () => {
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    one = await TestApp.start({ redisUrl: REDIS_URL });
    two = await TestApp.start({ redisUrl: REDIS_URL, databaseUrl: one.databaseUrl });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  it('lets exactly N of 4×N concurrent requests through across both instances', async () => {
    const n = 20;
    const ws = await one.workspace(`rl-redis-${Date.now()}`);
    const key = await ws.key(['read:tags'], { rateLimit: n });
    const results = await Promise.all(
      Array.from({ length: 4 * n }, (_, i) => (i % 2 ? one : two).get('/api/v1/tags?per_page=1', { key })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(n);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3 * n);
    const remaining = results
      .filter((r) => r.status === 200)
      .map((r) => Number(r.headers['x-ratelimit-remaining']));
    expect(new Set(remaining).size).toBe(n); // every admitted request saw its own count: one shared window
  });
});
