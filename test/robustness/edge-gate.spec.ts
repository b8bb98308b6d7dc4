import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { hashApiKey } from '../../src/api-keys/api-key.token';
import { ApiKeysRepository } from '../../src/api-keys/api-keys.repository';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { TestApp } from '../support/test-app';

/** Issue 11, items 8, 15, 16: the request gate decides before the body is read (auth, rate limits, headers). */
describe('the request gate', () => {
  let t: TestApp;
  let key: string;
  let lookups: jest.SpyInstance;

  const randomKey = () => `lh_${randomBytes(24).toString('hex').slice(0, 40)}`;
  const badJson = (size: number) => `{"name": "${'x'.repeat(size)}`; // never closed: a parser would say 400

  beforeAll(async () => {
    t = await TestApp.start({ edge: { unauthenticatedPerMinute: 6, trustProxy: true } });
    key = await (await t.workspace('gate')).key(['*'], { rateLimit: 500 });
    // A key lookup is one ApiKeysRepository.findByHash (the SQL of the key table lives there).
    lookups = jest.spyOn(t.app.get(ApiKeysRepository), 'findByHash');
  });
  afterAll(() => t.close());

  it('401s a 900 KB body without reading it, and closes the connection', async () => {
    // Another address than the throttling test's, so the two budgets stay apart.
    const headers = { 'X-Forwarded-For': '198.51.100.1' };
    // What the server read from each connection, when it closed.
    const read: number[] = [];
    const server = t.app.getHttpServer();
    const onConnection = (s: Socket) => s.once('close', () => read.push(s.bytesRead));
    server.on('connection', onConnection);
    for (const k of [undefined, randomKey()]) {
      const res = await t.call('POST', '/api/v1/leads', {
        key: k,
        headers,
        raw: { body: badJson(900_000), type: 'application/json' },
        direct: true,
      });
      expect(res.status).toBe(401); // not 400: the JSON was never parsed
      expect(res.body.code).toBe('UNAUTHORIZED');
      expect(res.headers.connection).toBe('close');
    }
    while (read.length < 2) await new Promise((r) => setTimeout(r, 20));
    server.off('connection', onConnection);
    // Read: the head and what was in flight before the answer (~64–200 KB of socket buffers here), never the body.
    for (const bytes of read) expect(bytes).toBeLessThan(900_000);
  });

  it('throttles requests without a valid key per address (429), without a lookup, sparing valid keys', async () => {
    const headers = { 'X-Forwarded-For': '198.51.100.9' };
    expect((await t.get('/api/v1/tags', { key, headers, direct: true })).status).toBe(200);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++)
      seen.push((await t.get('/api/v1/tags', { key: randomKey(), headers, direct: true })).status);
    expect(seen).toEqual([401, 401, 401, 401, 401, 401]);
    const before = lookups.mock.calls.length;
    for (const k of [randomKey(), undefined, 'not-a-key']) {
      const res = await t.get('/api/v1/tags', { key: k, headers, direct: true });
      expect(res.status).toBe(429);
      expect(res.body).toEqual({
        status: 'error',
        code: 'RATE_LIMITED',
        message: 'Too many requests without a valid API key from this address; try again later.',
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    expect(lookups.mock.calls.length).toBe(before); // a blocked address costs no database query
    // A valid key from the same address is still served (known to this instance: no lookup either).
    expect((await t.get('/api/v1/tags', { key, headers, direct: true })).status).toBe(200);
    // Public operations are not part of the budget; other addresses have their own.
    expect((await t.get('/api/v1/health', { headers, direct: true })).status).toBe(200);
    expect((await t.get('/api/v1/tags', { key: randomKey() })).status).toBe(401);
  });

  it('serves every valid key from a throttled address, even one it has never seen, and no random key', async () => {
    const headers = { 'X-Forwarded-For': '198.51.100.10' };
    const ws = await t.workspace('gate-shared');
    // Created by this instance (never used), and one written by another process (the CLI, another instance).
    const fresh = await ws.key(['*']);
    const elsewhere = `lh_${randomBytes(24).toString('hex').slice(0, 40)}`;
    await t.sql(
      `INSERT INTO api_keys (workspace_id, name, key_hash, prefix, scopes, rate_limit)
       VALUES ($1, 'elsewhere', $2, $3, '{*}', 100)`,
      [ws.id, hashApiKey(elsewhere), elsewhere.slice(0, 10)],
    );
    for (let i = 0; i < 6; i++) await t.get('/api/v1/tags', { key: randomKey(), headers, direct: true });
    expect((await t.get('/api/v1/tags', { key: randomKey(), headers, direct: true })).status).toBe(429);
    expect((await t.get('/api/v1/tags', { key: fresh, headers, direct: true })).status).toBe(200);
    expect((await t.get('/api/v1/tags', { key: elsewhere, headers, direct: true })).status).toBe(200);
    // Random keys in numbers: refused without a lookup each (the set of existing keys is reloaded, coalesced).
    const queries = jest.spyOn(t.app.get(ApiKeysRepository), 'hashPrefixesSince');
    const before = lookups.mock.calls.length;
    const flood = await Promise.all(
      Array.from({ length: 30 }, () => t.get('/api/v1/tags', { key: randomKey(), headers, direct: true })),
    );
    expect(flood.map((r) => r.status)).toEqual(Array(30).fill(429));
    expect(lookups.mock.calls.length).toBe(before);
    expect(queries.mock.calls.length).toBeLessThanOrEqual(2);
    queries.mockRestore();
    // Revocation still holds at once, from that address too.
    const [row] = await t.sql<{ id: number }>('SELECT id FROM api_keys WHERE key_hash = $1', [
      hashApiKey(fresh),
    ]);
    await t.app.get(ApiKeysService).revoke(row.id);
    expect((await t.get('/api/v1/tags', { key: fresh, headers, direct: true })).status).toBe(429);
    expect((await t.get('/api/v1/tags', { key: fresh, direct: true })).status).toBe(401);
  });

  it('caches unknown keys: the same bad key costs one lookup', async () => {
    const bad = randomKey();
    const headers = { 'X-Forwarded-For': '198.51.100.2' };
    const before = lookups.mock.calls.length;
    expect((await t.get('/api/v1/tags', { key: bad, headers, direct: true })).status).toBe(401);
    expect((await t.get('/api/v1/tags', { key: bad, headers, direct: true })).status).toBe(401);
    expect(lookups.mock.calls.length).toBe(before + 1);
  });

  it('sets the rate-limit headers, and counts, on responses decided before routing', async () => {
    const k = await (await t.workspace('gate-pre')).key(['*'], { rateLimit: 100 });
    const responses = [
      await t.call('POST', '/api/v1/tags', { key: k, raw: { body: '{"name": ', type: 'application/json' } }),
      await t.get('/api/v1/no-such-route', { key: k }),
      await t.call('POST', '/api/v1/tags', {
        key: k,
        raw: { body: JSON.stringify({ name: 'x'.repeat(2_000_000) }), type: 'application/json' },
      }),
      await t.call('POST', '/api/v1/tags', { key: k, raw: { body: 'name=x', type: 'text/plain' } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([400, 404, 413, 415]);
    responses.forEach((r, i) => {
      expect(r.headers['x-ratelimit-limit']).toBe('100');
      expect(r.headers['x-ratelimit-remaining']).toBe(String(99 - i));
      expect(Number(r.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    });
    // An exhausted key gets its 429 there too.
    const one = await (await t.workspace('gate-one')).key(['*'], { rateLimit: 1 });
    expect((await t.get('/api/v1/nothing-here', { key: one })).status).toBe(404);
    const blocked = await t.call('POST', '/api/v1/tags', {
      key: one,
      raw: { body: '{', type: 'application/json' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('sends Cache-Control: no-store on every API response', async () => {
    const responses = [
      await t.get('/api/v1/tags', { key }),
      await t.get('/api/v1/tags/999999', { key }),
      await t.post('/api/v1/tags', { name: 'cached?' }, { key }),
      await t.get('/api/v1/leads', { headers: { 'X-Forwarded-For': '198.51.100.3' }, direct: true }),
      await t.get('/api/v1/health'),
      await t.get('/api/v1/unknown', { key }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 404, 201, 401, 200, 404]);
    for (const r of responses) expect(r.headers['cache-control']).toBe('no-store');
  });
});
