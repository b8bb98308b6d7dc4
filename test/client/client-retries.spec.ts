import {
  createLeadHubClient,
  LeadHubApiError,
  type LeadHubClient,
  type RetryInfo,
} from '../../clients/typescript/src/index.js';
import { TestApp } from '../support/test-app';
import { apiError } from './api-error';
import { FlakyProxy } from './flaky-proxy';

/** Retries and idempotency keys of the TypeScript client, against the real app behind a proxy that fails on cue. */
describe('TypeScript client: retries and idempotency keys', () => {
  let t: TestApp;
  let proxy: FlakyProxy;
  let key: string;
  let retries: RetryInfo[];
  let client: LeadHubClient;
  let baseUrl: string;

  beforeAll(async () => {
    t = await TestApp.start({ prism: false });
    key = await (await t.workspace('ts-client-retries')).key(['*']);
    proxy = new FlakyProxy(await t.port());
    baseUrl = await proxy.start();
    client = createLeadHubClient({
      baseUrl,
      apiKey: key,
      retry: { maxRetries: 3, baseDelayMs: 10, onRetry: (info) => retries.push(info) },
    });
  });
  beforeEach(() => {
    retries = [];
    proxy.seen.length = 0;
    proxy.clear();
  });
  afterAll(async () => {
    await proxy.close();
    await t.close();
  });

  async function leadsWithEmail(email: string) {
    return (await client.get('/api/v1/leads', { params: { query: { search: email } } })).meta.total;
  }

  it('retries a 503 and gets the answer', async () => {
    proxy.fail('GET', '503', '503');
    const tags = await client.get('/api/v1/tags');
    expect(tags.data).toEqual(expect.any(Array));
    expect(retries.map((r) => [r.attempt, r.status, r.delayMs])).toEqual([
      [1, 503, 0], // Retry-After: 0
      [2, 503, 0],
    ]);
    expect(proxy.seen.map((s) => s.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('a POST whose reply was a 503 after the write is retried with the same key: one lead', async () => {
    proxy.fail('POST', 'forward-then-503');
    const created = await client.post('/api/v1/leads', {
      body: { first_name: 'Once', email: 'once-503@example.com' },
    });
    expect(created.data.email).toBe('once-503@example.com');
    const keys = proxy.seen.filter((s) => s.method === 'POST').map((s) => s.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await leadsWithEmail('once-503@example.com')).toBe(1);
  });

  it('a POST whose connection was cut after the write is retried with the same key: one lead', async () => {
    proxy.fail('POST', 'forward-then-drop', 'forward-then-drop');
    const created = await client.post('/api/v1/leads', {
      body: { first_name: 'Once', email: 'once-drop@example.com' },
    });
    expect(created.data.first_name).toBe('Once');
    expect(retries.map((r) => [r.attempt, r.status, (r.error as Error).message])).toEqual([
      [1, undefined, 'fetch failed'],
      [2, undefined, 'fetch failed'],
    ]);
    const keys = new Set(proxy.seen.filter((s) => s.method === 'POST').map((s) => s.idempotencyKey));
    expect(keys.size).toBe(1);
    expect(await leadsWithEmail('once-drop@example.com')).toBe(1);
  });

  it('a POST told 409 (its key still in use) is asked again; other methods are not', async () => {
    proxy.fail('POST', '409');
    const created = await client.post('/api/v1/leads', {
      body: { first_name: 'Conflicted', email: 'c409@example.com' },
    });
    expect(created.data.email).toBe('c409@example.com');
    expect(retries.map((r) => r.status)).toEqual([409]);
    expect(await leadsWithEmail('c409@example.com')).toBe(1);

    proxy.fail('GET', '409');
    expect(await apiError(client.get('/api/v1/tags'))).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(retries).toHaveLength(1);
  });

  it('each POST call gets its own key', async () => {
    await client.post('/api/v1/tags', { body: { name: 'first' } });
    await client.post('/api/v1/tags', { body: { name: 'second' } });
    const keys = proxy.seen.map((s) => s.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('a PATCH is not repeated after a lost connection (it could apply twice), but is after a 503', async () => {
    const lead = await client.post('/api/v1/leads', { body: { first_name: 'Patchy' } });
    const path = { params: { path: { id: lead.data.id } }, body: { lead_score: 5 } };
    proxy.fail('PATCH', 'forward-then-drop');
    await expect(client.patch('/api/v1/leads/{id}', path)).rejects.toThrow('fetch failed');
    expect(retries).toEqual([]);
    expect(proxy.seen.filter((s) => s.method === 'PATCH')).toHaveLength(1);
    expect(proxy.seen[1].idempotencyKey).toBeUndefined(); // keys are for POST only

    proxy.fail('PATCH', '503');
    expect((await client.patch('/api/v1/leads/{id}', path)).data.lead_score).toBe(5);
    expect(retries.map((r) => r.status)).toEqual([503]);
  });

  it('gives up after maxRetries with the last error', async () => {
    proxy.fail('GET', '503', '503', '503', '503', '503'); // one more than it will try
    const err = await apiError(client.get('/api/v1/tags'));
    expect(err).toBeInstanceOf(LeadHubApiError);
    expect(err).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      requestId: 'from-the-proxy',
      retryAfter: 0,
    });
    expect(retries).toHaveLength(3);
    expect(proxy.seen).toHaveLength(4);
  });

  it('retry: false sends once (POSTs still keyed)', async () => {
    const once = createLeadHubClient({ baseUrl, apiKey: key, retry: false });
    proxy.fail('GET', '503');
    await expect(once.get('/api/v1/tags')).rejects.toMatchObject({ status: 503 });
    expect(proxy.seen).toHaveLength(1);
    proxy.fail('POST', '503');
    await expect(once.post('/api/v1/tags', { body: { name: 'never' } })).rejects.toMatchObject({
      status: 503,
    });
    expect(proxy.seen).toHaveLength(2);
    expect(proxy.seen[1].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/); // still keyed
  });
});

describe('TypeScript client: 429 and Retry-After', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await TestApp.start({ prism: false });
    baseUrl = `http://127.0.0.1:${await t.port()}`;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  it('waits as long as Retry-After says, then succeeds', async () => {
    const key = await (await t.workspace('ts-client-429')).key(['*'], { rateLimit: 2 });
    const statuses: [number, string | null][] = [];
    const retries: RetryInfo[] = [];
    const client = createLeadHubClient({
      baseUrl,
      apiKey: key,
      // Backoff alone (10, 20, 40 ms) would spend every retry long before the window ends.
      retry: { maxRetries: 3, baseDelayMs: 10, onRetry: (info) => retries.push(info) },
      fetch: async (request) => {
        const res = await fetch(request);
        statuses.push([res.status, res.headers.get('retry-after')]);
        return res;
      },
    });
    await client.get('/api/v1/tags');
    const first = await client.raw.GET('/api/v1/tags');
    // The app runs in this process: move its clock to 3 s before the key's hourly window ends.
    const resetAt = Number(first.response.headers.get('x-ratelimit-reset')) * 1000;
    const now = Date.now;
    const shift = resetAt - 3000 - now();
    jest.spyOn(Date, 'now').mockImplementation(() => now() + shift);

    const tags = await client.get('/api/v1/tags');
    expect(tags.data).toEqual(expect.any(Array));
    const limited = statuses.find(([s]) => s === 429);
    expect(limited).toBeDefined();
    const retryAfter = Number(limited![1]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retries.map((r) => [r.status, r.delayMs])).toEqual([[429, retryAfter * 1000]]);
    expect(statuses.map(([s]) => s)).toEqual([200, 200, 429, 200]);
  });

  it('does not wait out a Retry-After longer than maxDelayMs: the 429 comes back at once', async () => {
    const key = await (await t.workspace('ts-client-429-long')).key(['*'], { rateLimit: 1 });
    const retries: RetryInfo[] = [];
    const client = createLeadHubClient({
      baseUrl,
      apiKey: key,
      retry: { maxDelayMs: 60_000, onRetry: (info) => retries.push(info) },
    });
    await client.get('/api/v1/tags');
    const err = await apiError(client.get('/api/v1/tags'));
    expect(err).toBeInstanceOf(LeadHubApiError);
    expect(err).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(err.retryAfter).toBeGreaterThan(60);
    expect(err.retryAfter).toBeLessThanOrEqual(3600);
    expect(err.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(retries).toEqual([]);
  });
});
