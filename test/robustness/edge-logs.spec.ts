import { Writable } from 'node:stream';
import { TestApp } from '../support/test-app';

/**
 * Issue 11, item 9: no secrets or personal data in the access log. (Its own file: nestjs-pino keeps one logger
 * per process, so the app that logs must be the first of its test file.)
 */
describe('access log', () => {
  let t: TestApp;
  let key: string;
  let log = '';

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, cb) {
        log += chunk.toString();
        cb();
      },
    });
    t = await TestApp.start({ logStream: stream });
    key = await (await t.workspace('logs')).key(['*']);
  });
  afterAll(() => t.close());

  it('logs paths without query strings and redacts credential headers', async () => {
    const secret = 'lh_ThisIsASecretKeyThatMustNotBeLogged0001';
    const calls = [
      t.get('/api/v1/leads?search=alice.private%40example.com', { key }),
      t.get(`/api/v1/tags?access_token=${secret}`),
      t.get(`/api/v1/tags?api_key=${secret}`, { headers: { 'X-Api-Key': secret } }),
      t.get('/api/v1/tags', {
        key,
        headers: { Cookie: `session=${secret}`, 'X-Service-Token': secret },
      }),
    ];
    const ids = (await Promise.all(calls)).map((r) => r.headers['x-request-id']);
    const deadline = Date.now() + 10_000;
    while (!ids.every((id) => log.includes(id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(ids.every((id) => log.includes(id))).toBe(true);
    expect(log).toContain('/api/v1/leads');
    for (const needle of [secret, key, 'alice.private', 'example.com', 'access_token', 'api_key='])
      expect(log).not.toContain(needle);
  });
});
