import { request as httpRequest } from 'node:http';
import { TestApp } from '../support/test-app';

/** Bad input gets a clear 4xx, never a 5xx, and never changes a row. */
describe('hostile inputs', () => {
  let t: TestApp;
  let key: string;
  let before: string;

  const snapshot = async () =>
    JSON.stringify(await t.sql('SELECT id, name, color, updated_at FROM tags ORDER BY id'));

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('hostile')).key(['*']);
    expect((await t.post('/api/v1/tags', { name: 'existing', color: '#112233' }, { key })).status).toBe(201);
    before = await snapshot();
  });
  afterAll(async () => {
    expect(await snapshot()).toBe(before); // nothing above changed a row
    await t.close();
  });

  const raw = (body: string | Buffer, type = 'application/json') =>
    t.call('POST', '/api/v1/tags', { key, raw: { body, type } });
  const rawPatch = (body: string, type = 'application/json') =>
    t.call('PATCH', '/api/v1/tags/1', { key, raw: { body, type } });

  it.each([
    ['truncated JSON', '{"name": "abc'],
    ['trailing garbage', '{"name": "x"} trailing'],
    ['a BOM and garbage', '\ufeff{{'],
  ])('400 for %s', async (_label, body) => {
    const res = await raw(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('BAD_REQUEST');
  });

  it('an empty body is no body: 422 where one is required', async () => {
    const res = await raw('');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ body: ['The request body must be a JSON object.'] });
  });

  it('deeply nested JSON is refused without a 5xx', async () => {
    const depth = 100_000;
    const res = await raw(`{"name":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect([400, 413, 422]).toContain(res.status);
    const moderate = await raw(`{"name":"x","extra":${'{"a":'.repeat(500)}1${'}'.repeat(500)}}`);
    expect(moderate.status).toBe(422);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[{"name":"x"}]'],
    ['a number', '42'],
    ['1e999', '1e999'],
    ['true', 'true'],
  ])('422 for %s as the body', async (_label, body) => {
    const res = await raw(body);
    expect(res.status).toBe(422);
    expect(res.body.errors.body).toBeDefined();
  });

  it('422 for numbers that are not numbers and values of the wrong type', async () => {
    expect((await raw('{"name": 1e999}')).status).toBe(422);
    expect((await raw('{"name": ["a"]}')).status).toBe(422);
    expect((await raw('{"name": {"$gt": ""}}')).status).toBe(422);
    expect((await raw('{"name": null}')).status).toBe(422);
  });

  it('422 for NUL characters, lone surrogates and over-long strings (limits enforced)', async () => {
    expect((await raw('{"name":"a\\u0000b"}')).status).toBe(422);
    expect((await raw('{"name":"\\udc00"}')).status).toBe(422);
    const long = await t.post('/api/v1/tags', { name: 'x'.repeat(101) }, { key });
    expect(long.status).toBe(422);
    expect(long.body.errors.name[0]).toMatch(/100/);
    expect((await rawPatch('{"name":"a\\u0000"}')).status).toBe(422);
    const nulled = await rawPatch('{"name":null}'); // found by the fuzzer: was a NOT NULL violation (500)
    expect(nulled.status).toBe(422);
    expect(Object.keys(nulled.body.errors)).toEqual(['name']);
  });

  it('413 for a 10 MB body, refused from its Content-Length before the body is sent', async () => {
    const res = await t.call('POST', '/api/v1/tags', {
      key,
      raw: { body: Buffer.alloc(2 * 1024 * 1024, 'a'), type: 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    // Announce 10 MB, send 64 KB: the answer must come without waiting for the rest.
    const port = await t.port();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/v1/tags',
          headers: {
            Authorization: `Bearer ${key}`,
            'Content-Type': 'application/json',
            'Content-Length': String(10 * 1024 * 1024),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024, 'a'));
      setTimeout(() => reject(new Error('no answer before the body was complete')), 5_000).unref();
    });
    expect(status).toBe(413);
  });

  it.each([
    ['text/plain', '{"name":"x"}'],
    ['application/xml', '<name>x</name>'],
    [
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--',
    ],
    ['application/x-www-form-urlencoded', 'name=x'],
  ])('415 for Content-Type %s', async (type, body) => {
    const res = await raw(body, type);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    'per_page=1e9',
    'per_page=-5',
    'page=-1',
    'page=99999999999999999999',
    'sort=;DROP TABLE tags;--',
    "sort=name'--",
    'direction=sideways',
    'search[$ne]=x',
    `search=${'x'.repeat(101)}`,
  ])('422 for the query %s', async (qs) => {
    const res = await t.get(`/api/v1/tags?${qs}`, { key });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    '422 naming the inherited property name %s',
    async (k) => {
      const body = await raw(`{"name":"x","${k}":1}`);
      expect(body.status).toBe(422);
      expect(Object.keys(body.body.errors)).toEqual([k]);
      const query = await t.get(`/api/v1/tags?${k}=1`, { key });
      expect(query.status).toBe(422);
      expect(Object.keys(query.body.errors)).toEqual([k]);
    },
  );

  it('SQL and LIKE metacharacters in search are data, not syntax', async () => {
    for (const term of ["'; DROP TABLE tags; --", '%', '_', '\\', "' OR 1=1 --"]) {
      const res = await t.get(`/api/v1/tags?search=${encodeURIComponent(term)}`, { key });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([]);
    }
  });

  it.each(['abc', '0', '-1', '1.5', '2147483648', '1e3', '%00'])('404 for the id %s', async (id) => {
    const res = await t.get(`/api/v1/tags/${id}`, { key });
    expect(res.status).toBe(404);
  });

  it('ignores keys in the query string or body (401), and never echoes them', async () => {
    const q = await t.get(`/api/v1/tags?api_key=${key}`);
    expect(q.status).toBe(401);
    const b = await t.post('/api/v1/tags', { name: 'x', access_token: key });
    expect(b.status).toBe(401);
    expect(JSON.stringify(q.body) + JSON.stringify(b.body)).not.toContain(key);
  });
});
