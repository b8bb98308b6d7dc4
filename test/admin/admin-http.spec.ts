import { readFileSync } from 'node:fs';
import request from 'supertest';
import { join } from 'node:path';
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS } from '../../src/admin/sign-in.service';
import { TestApp, TestWorkspace } from '../support/test-app';
import { AdminClient, createAdmin, issueSetupToken, PASSWORD } from './admin-client';

let t: TestApp;
let ws: TestWorkspace;
const server = () => t.app.getHttpServer();
// Each test signs in from its own address, so the per-address throttle of one test does not touch another.
let addr = 0;
const client = () => new AdminClient(server(), { 'X-Forwarded-For': `198.51.100.${++addr}` });

async function signedIn(email = 'root@example.com') {
  const c = client();
  const res = await c.signIn(email);
  expect(res.status).toBe(303);
  return c;
}

beforeAll(async () => {
  // These tests play several client addresses and HTTPS through a proxy's X-Forwarded-* headers, so the proxy is
  // trusted (TRUST_PROXY=true; the edge option exists once the request-edge work is merged, ignored before).
  t = await TestApp.start({ config: { keyCacheTtlMs: 200 }, ...({ edge: { trustProxy: true } } as object) });
  ws = await t.workspace('default');
  await createAdmin(t, ws.id, 'root@example.com');
}, 120_000); // a loaded machine (and the Prism pass) can make the start slow
afterAll(() => t.close());

describe('first admin setup link', () => {
  it('creates the admin once, needs the CSRF token, and is stored hashed', async () => {
    const other = await t.workspace('fresh');
    const token = await issueSetupToken(t, other.id);
    expect(token).toMatch(/^lhs_[A-Za-z0-9_-]{43}$/);
    const rows = await t.sql<{ token_hash: string }>('SELECT token_hash FROM admin_setup_tokens');
    expect(JSON.stringify(rows)).not.toContain(token);

    const c = client();
    expect((await c.get('/admin/setup?token=lhs_nope')).status).toBe(404);
    const page = await c.get(`/admin/setup?token=${token}`);
    expect(page.status).toBe(200);
    const form = { token, name: 'Fay', email: 'fay@example.com', password: PASSWORD };
    expect((await c.post('/admin/setup', form)).status).toBe(403); // no CSRF token
    const short = await c.post(
      '/admin/setup',
      { ...form, password: 'short' },
      { from: `/admin/setup?token=${token}` },
    );
    expect(short.status).toBe(422);
    expect(short.text).toContain('at least 12 characters');
    const done = await c.post('/admin/setup', form, { from: `/admin/setup?token=${token}` });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/admin/sign-in?done=setup');
    const [u] = await t.sql<{ role: string; password_hash: string }>(
      `SELECT role, password_hash FROM users WHERE email = 'fay@example.com'`,
    );
    expect(u.role).toBe('admin');
    expect(u.password_hash).toMatch(/^\$argon2id\$/);
    // Used: the link is dead, and a second post creates nothing.
    expect((await c.get(`/admin/setup?token=${token}`)).status).toBe(404);
    const again = await c.post(
      '/admin/setup',
      { ...form, email: 'eve@example.com' },
      { from: '/admin/sign-in' },
    );
    expect(again.status).toBe(422);
    expect(again.text).toContain('invalid, expired or already used');
    expect((await c.signIn('fay@example.com')).status).toBe(303);
  });

  it('expires after 24 hours', async () => {
    const token = await issueSetupToken(t, ws.id);
    await t.sql(
      `UPDATE admin_setup_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`,
    );
    expect((await client().get(`/admin/setup?token=${token}`)).status).toBe(404);
  });
});

describe('sign-in and sessions', () => {
  it('answers a wrong email exactly like a wrong password', async () => {
    const a = await client().signIn('nobody@example.com', 'wrong password!');
    const b = await client().signIn('root@example.com', 'wrong password!');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const error = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    expect(error(a.text)).toBeTruthy();
    expect(error(a.text)).toBe(error(b.text));
    // Non-admins cannot sign in either, with the same answer.
    await createAdmin(t, ws.id, 'agent@example.com', 'agent');
    const c = await client().signIn('agent@example.com');
    expect(c.status).toBe(401);
    expect(error(c.text)).toBe(error(a.text));
  });

  it('sets an HttpOnly, SameSite=Lax session cookie on /admin, Secure over HTTPS', async () => {
    const plain = await client().signIn('root@example.com');
    const cookie = [plain.headers['set-cookie']].flat().find((c) => c!.startsWith('lh_admin_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toMatch(/Secure/);
    const tls = await client().signIn('root@example.com', PASSWORD, { 'X-Forwarded-Proto': 'https' });
    const secure = [tls.headers['set-cookie']].flat().find((c) => c!.startsWith('lh_admin_session='))!;
    expect(secure).toMatch(/; Secure/);
    // Only a hash of the token is stored.
    const token = cookie.split(';')[0].split('=')[1];
    const rows = await t.sql('SELECT token_hash FROM admin_sessions');
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('keeps API keys and sessions apart', async () => {
    const key = await ws.key(['*']);
    const withKey = await client().get('/admin/overview', { Authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(303);
    expect(withKey.location).toBe('/admin/sign-in');
    const c = await signedIn();
    expect((await c.get('/admin/overview')).status).toBe(200);
    const api = await t.get('/api/v1/leads', { headers: { Cookie: c.cookie } });
    expect(api.status).toBe(401);
  });

  it('ends sessions on sign-out, when idle, at their absolute end, and when the user stops being an admin', async () => {
    const out = await signedIn();
    const bye = await out.post('/admin/sign-out', {}, { from: '/admin/overview' });
    expect(bye.location).toBe('/admin/sign-in?done=out');
    expect((await out.get('/admin/overview')).status).toBe(303);

    const idle = await signedIn();
    await t.sql(`UPDATE admin_sessions SET last_seen_at = now() - interval '31 minutes'`);
    expect((await idle.get('/admin/overview')).status).toBe(303);

    const old = await signedIn();
    await t.sql(`UPDATE admin_sessions SET expires_at = now() - interval '1 second'`);
    expect((await old.get('/admin/overview')).status).toBe(303);

    await createAdmin(t, ws.id, 'demoted@example.com');
    const demoted = await signedIn('demoted@example.com');
    expect((await demoted.get('/admin/keys')).status).toBe(200);
    await t.sql(`UPDATE users SET role = 'manager' WHERE email = 'demoted@example.com'`);
    expect((await demoted.get('/admin/keys')).status).toBe(303);
  });

  it('throttles sign-in per account (even from many addresses) and per address', async () => {
    await createAdmin(t, ws.id, 'target@example.com');
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT; i++)
      expect((await client().signIn('target@example.com', 'guess')).status).toBe(401);
    const blocked = await client().signIn('target@example.com'); // right password, still blocked
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain('Too many sign-in attempts');

    const one = client();
    for (let i = 0; i < SIGN_IN_PER_ADDRESS; i++)
      expect((await one.signIn(`someone${i}@example.com`, 'guess')).status).toBe(401);
    expect((await one.signIn('root@example.com')).status).toBe(429);
  });
});

describe('CSRF and headers', () => {
  it('refuses state-changing posts without the form token (403)', async () => {
    const c = await signedIn();
    const form = { name: 'x', scopes: 'read:leads', rate_limit: '5' };
    expect((await c.post('/admin/keys', form)).status).toBe(403);
    expect((await c.post('/admin/keys', { ...form, _csrf: 'A'.repeat(43) })).status).toBe(403);
    expect((await c.post('/admin/sign-out', {})).status).toBe(403);
    expect(
      (await client().post('/admin/sign-in', { email: 'root@example.com', password: PASSWORD })).status,
    ).toBe(403);
    // Other body types are no way around it (and a token that is not text is no token).
    const json = await request(server())
      .post('/admin/keys')
      .set('Cookie', c.cookie)
      .send({ ...form, scopes: ['read:leads'], _csrf: { length: 43 } });
    expect(json.status).toBe(403);
    expect(await t.sql(`SELECT 1 FROM api_keys WHERE name = 'x'`)).toHaveLength(0);
  });

  it('serves every admin response with a strict CSP, frame and referrer policies', async () => {
    const c = await signedIn();
    for (const path of [
      '/admin/sign-in',
      '/admin/overview',
      '/admin/keys',
      '/admin/nope',
      '/admin/static/admin.js',
    ]) {
      const res = await c.get(path);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const missing = await c.get('/admin/nope/deeper');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect((await c.get('/admin/keys')).status).toBe(200); // real pages still win over the fallback
    expect((await c.get('/admin/static/..%2Fkeys.eta')).status).toBe(404);
  });

  it('keeps admin routes out of the API document, and the API refusing form bodies', async () => {
    const doc = JSON.parse(readFileSync(join(__dirname, '../../openapi/openapi.json'), 'utf8'));
    expect(Object.keys(doc.paths).filter((p) => p.includes('admin'))).toEqual([]);
    const key = await ws.key(['*']);
    const res = await t.call('POST', '/api/v1/tags', {
      key,
      raw: { body: 'name=x', type: 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });
});
