import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { useTestApp } from '../support/test-app';

describe('platform: health, auth, scopes, errors', () => {
  const t = useTestApp();
  let key: string;

  beforeAll(async () => {
    key = await (await t.workspace('acme')).key(['*']);
  });

  it('answers the health check without a key, exactly as the reference', async () => {
    const res = await t.get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      version: '1.0.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
    });
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('reports readiness when the database answers', async () => {
    const res = await t.get('/api/v1/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'ok', backlog: { events: 0 } });
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'Basic abc'],
    ['unknown', 'Bearer lh_00000000000000000000000000000000000000'],
    ['not a LeadHub key', 'Bearer abc'],
  ])('401 UNAUTHORIZED for a %s key', async (_label, header) => {
    const res = await t.get('/api/v1/tags', { headers: header ? { Authorization: header } : {} });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      status: 'error',
      message: 'The API key is missing or invalid.',
      code: 'UNAUTHORIZED',
    });
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('401 for a key passed in the query string instead of the header', async () => {
    const res = await t.get(`/api/v1/tags?access_token=${key}`);
    expect(res.status).toBe(401);
  });

  it('401 for an expired key', async () => {
    const ws = await t.workspace('expired-ws');
    // The service refuses a past expiry: the key expires after creation.
    const expired = await ws.key(['*'], { expiresAt: new Date(Date.now() + 60_000) });
    await t.sql(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE workspace_id = $1`, [
      ws.id,
    ]);
    expect((await t.get('/api/v1/tags', { key: expired })).status).toBe(401);
  });

  it('401 for a revoked key (after the cache expires)', async () => {
    const ws = await t.workspace('revoked-ws');
    const k = await ws.key(['*']);
    expect((await t.get('/api/v1/tags', { key: k })).status).toBe(200);
    await t.sql(`UPDATE api_keys SET revoked_at = now() WHERE workspace_id = $1`, [ws.id]);
    // The in-process cache keeps a lookup for a few seconds; revoke through the service clears it at once.
    const [{ id }] = await t.sql<{ id: number }>(`SELECT id FROM api_keys WHERE workspace_id = $1`, [ws.id]);
    await t.app.get(ApiKeysService).revoke(id);
    expect((await t.get('/api/v1/tags', { key: k })).status).toBe(401);
  });

  it('records last_used_at in batches, not with a write per request', async () => {
    const ws = await t.workspace('last-used');
    const k = await ws.key(['read:tags']);
    const before = await t.sql<{ last_used_at: Date | null }>(
      'SELECT last_used_at FROM api_keys WHERE workspace_id = $1',
      [ws.id],
    );
    expect(before[0].last_used_at).toBeNull();
    for (let i = 0; i < 3; i++) expect((await t.get('/api/v1/tags', { key: k })).status).toBe(200);
    const unflushed = await t.sql<{ last_used_at: Date | null }>(
      'SELECT last_used_at FROM api_keys WHERE workspace_id = $1',
      [ws.id],
    );
    expect(unflushed[0].last_used_at).toBeNull(); // no write on the request path
    await t.app.get(ApiKeysService).flushLastUsed();
    const after = await t.sql<{ last_used_at: Date }>(
      'SELECT last_used_at FROM api_keys WHERE workspace_id = $1',
      [ws.id],
    );
    expect(Date.now() - new Date(after[0].last_used_at).getTime()).toBeLessThan(60_000);
  });

  it('403 FORBIDDEN when the key lacks the scope, with rate-limit headers', async () => {
    const ws = await t.workspace('scoped');
    const readOnly = await ws.key(['read:tags']);
    const res = await t.post('/api/v1/tags', { name: 'x' }, { key: readOnly });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(res.body.message).toContain('write:tags');
    expect(res.headers['x-ratelimit-limit']).toBe('1000');
    expect((await t.get('/api/v1/tags', { key: readOnly })).status).toBe(200);
  });

  it('404 envelope for unknown routes', async () => {
    const res = await t.get('/api/v1/does-not-exist', { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      status: 'error',
      message: 'The requested resource does not exist.',
      code: 'NOT_FOUND',
    });
  });

  it('400 BAD_REQUEST for malformed JSON', async () => {
    const res = await t.call('POST', '/api/v1/tags', {
      key,
      raw: { body: '{"name": ', type: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_REQUEST');
  });

  it('413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    const res = await t.call('POST', '/api/v1/tags', {
      key,
      raw: { body: JSON.stringify({ name: 'x'.repeat(2_000_000) }), type: 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('415 for a body that is not JSON', async () => {
    const res = await t.call('POST', '/api/v1/tags', { key, raw: { body: 'name=x', type: 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const form = await t.call('POST', '/api/v1/tags', {
      key,
      raw: { body: 'name=x', type: 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });

  it.each([['null'], ['[]'], ['42'], ['"text"']])(
    '422 for a JSON body that is not an object: %s',
    async (body) => {
      const res = await t.call('POST', '/api/v1/tags', { key, raw: { body, type: 'application/json' } });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ body: ['The request body must be a JSON object.'] });
    },
  );

  it('422 naming unknown body fields and unknown query parameters', async () => {
    const res = await t.post('/api/v1/tags', { name: 'ok', id: 5, workspace_id: 2 }, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(['id', 'workspace_id']);
    const q = await t.get('/api/v1/tags?stauts=new', { key });
    expect(q.status).toBe(422);
    expect(q.body.errors).toEqual({ stauts: ['The stauts field is not allowed.'] });
    const one = await t.get('/api/v1/health?verbose=1');
    expect(one.status).toBe(422);
    expect(one.body.errors).toEqual({ verbose: ['The verbose parameter is not allowed.'] });
  });

  it('422 for NUL characters and lone surrogates in strings', async () => {
    const nul = await t.post('/api/v1/tags', { name: 'a\u0000b' }, { key });
    expect(nul.status).toBe(422);
    expect(nul.body.errors.name).toBeDefined();
    const sur = await t.call('POST', '/api/v1/tags', {
      key,
      raw: { body: '{"name":"a\\ud800b"}', type: 'application/json' },
    });
    expect(sur.status).toBe(422);
  });

  it('echoes a valid X-Request-Id and generates one otherwise', async () => {
    const mine = await t.get('/api/v1/health', { headers: { 'X-Request-Id': 'trace-123' } });
    expect(mine.headers['x-request-id']).toBe('trace-123');
    const generated = await t.get('/api/v1/health', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
