import { TestApp, TestWorkspace } from '../support/test-app';
import { AdminClient, createAdmin, PASSWORD } from './admin-client';

let t: TestApp;
let ws: TestWorkspace;
let admin: AdminClient;
let rootId: number;
const waitFor = async (what: () => Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  t = await TestApp.start({ config: { keyCacheTtlMs: 200 } });
  ws = await t.workspace('default');
  rootId = (await createAdmin(t, ws.id, 'root@example.com')).id;
  admin = new AdminClient(t.app.getHttpServer());
  expect((await admin.signIn('root@example.com')).status).toBe(303);
}, 120_000); // a loaded machine (and the Prism pass) can make the start slow
afterAll(() => t.close());

describe('Settings → API keys', () => {
  it('creates a key shown once, lists its usage, edits it and revokes it; running servers follow', async () => {
    const created = await admin.post(
      '/admin/keys',
      { name: 'Website <form>', scopes: ['read:leads', 'write:leads'], rate_limit: '5', expires_at: '' },
      { from: '/admin/keys/new' },
    );
    expect(created.status).toBe(200);
    expect(created.text).toContain('Website &lt;form&gt;'); // escaped
    const plaintext = /id="new-key"[^>]*value="(lh_[A-Za-z0-9]+)"/.exec(created.text)![1];
    const [row] = await t.sql<{ id: number; key_hash: string; scopes: string[] }>(
      `SELECT id, key_hash, scopes FROM api_keys WHERE name = 'Website <form>'`,
    );
    expect(row.scopes).toEqual(['read:leads', 'write:leads']);
    expect(row.key_hash).not.toContain(plaintext);

    const api = await t.get('/api/v1/leads', { key: plaintext });
    expect(api.status).toBe(200);
    expect(api.headers['x-ratelimit-limit']).toBe('5');
    const list = await admin.get('/admin/keys');
    expect(list.text).not.toContain(plaintext);
    expect(list.text).toMatch(new RegExp(`data-key-id="${row.id}"[\\s\\S]*?class="num used">1<`));

    const edited = await admin.post(
      `/admin/keys/${row.id}`,
      { name: 'Website', scopes: ['read:leads'], rate_limit: '7', expires_at: '2099-01-01T00:00' },
      { from: `/admin/keys/${row.id}/edit` },
    );
    expect(edited.status).toBe(303);
    await waitFor(
      async () => (await t.get('/api/v1/leads', { key: plaintext })).headers['x-ratelimit-limit'] === '7',
    );
    const [after] = await t.sql<{ expires_at: Date }>('SELECT expires_at FROM api_keys WHERE id = $1', [
      row.id,
    ]);
    expect(after.expires_at.toISOString()).toBe('2099-01-01T00:00:00.000Z');

    // Without JavaScript, the first post asks; the confirmation revokes.
    const ask = await admin.post(`/admin/keys/${row.id}/revoke`, {}, { from: '/admin/keys' });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('name="confirm" value="yes"');
    expect(await t.sql('SELECT 1 FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [row.id])).toHaveLength(
      1,
    );
    const revoked = await admin.post(
      `/admin/keys/${row.id}/revoke`,
      { confirm: 'yes' },
      { from: '/admin/keys' },
    );
    expect(revoked.status).toBe(303);
    await waitFor(async () => (await t.get('/api/v1/leads', { key: plaintext })).status === 401);
  });

  it('explains bad input and never reaches another workspace’s keys', async () => {
    const bad = await admin.post(
      '/admin/keys',
      { name: 'k', scopes: ['read:nothing'], rate_limit: '5' },
      { from: '/admin/keys/new' },
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Unknown scope(s): read:nothing');
    const none = await admin.post('/admin/keys', { name: 'k', rate_limit: '0' }, { from: '/admin/keys/new' });
    expect(none.status).toBe(422);
    const past = await admin.post(
      '/admin/keys',
      { name: 'k', scopes: 'read:leads', rate_limit: '5', expires_at: '2001-01-01T00:00' },
      { from: '/admin/keys/new' },
    );
    expect(past.status).toBe(422);
    expect(past.text).toContain('in the past');

    const other = await t.workspace('other');
    await other.key(['*']);
    const [foreign] = await t.sql<{ id: number }>('SELECT id FROM api_keys WHERE workspace_id = $1', [
      other.id,
    ]);
    expect((await admin.get(`/admin/keys/${foreign.id}/edit`)).status).toBe(404);
    const revoke = await admin.post(
      `/admin/keys/${foreign.id}/revoke`,
      { confirm: 'yes' },
      { from: '/admin/keys' },
    );
    expect(revoke.status).toBe(404);
    expect(
      await t.sql('SELECT 1 FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [foreign.id]),
    ).toHaveLength(1);
    expect((await admin.get('/admin/keys/abc/edit')).status).toBe(404);
  });

  it('renames an expired key without asking for a new expiry, and shows it as expired', async () => {
    await ws.key(['read:leads'], { expiresAt: new Date(Date.now() + 60_000) });
    const [k] = await t.sql<{ id: number }>(
      `SELECT id FROM api_keys WHERE expires_at IS NOT NULL ORDER BY id DESC LIMIT 1`,
    );
    await t.sql(`UPDATE api_keys SET expires_at = now() - interval '1 hour' WHERE id = $1`, [k.id]);
    const edit = await admin.get(`/admin/keys/${k.id}/edit`);
    const shown = /id="expires_at"[^>]*value="([^"]*)"/.exec(edit.text)![1];
    const saved = await admin.post(
      `/admin/keys/${k.id}`,
      { name: 'Old key', scopes: 'read:leads', rate_limit: '1000', expires_at: shown },
      { from: `/admin/keys/${k.id}/edit` },
    );
    expect(saved.status).toBe(303);
    const list = await admin.get('/admin/keys');
    expect(list.text).toMatch(new RegExp(`data-key-id="${k.id}"[\\s\\S]*?Old key[\\s\\S]*?badge expired`));
  });
});

describe('Settings → Users', () => {
  it('creates users and changes roles', async () => {
    const res = await admin.post(
      '/admin/users',
      { name: 'Mo', email: 'mo@example.com', role: 'manager', password: '' },
      { from: '/admin/users' },
    );
    expect(res.status).toBe(303);
    const dup = await admin.post(
      '/admin/users',
      { name: 'Mo', email: 'MO@example.com', role: 'agent' },
      { from: '/admin/users' },
    );
    expect(dup.status).toBe(422);
    const [mo] = await t.sql<{ id: number }>(`SELECT id FROM users WHERE email = 'mo@example.com'`);
    const promoted = await admin.post(
      `/admin/users/${mo.id}`,
      { role: 'admin', is_active: 'on' },
      { from: '/admin/users' },
    );
    expect(promoted.status).toBe(303);
    expect((await t.sql(`SELECT role FROM users WHERE id = $1`, [mo.id]))[0]).toEqual({ role: 'admin' });
    // Two admins now: one can be demoted again.
    await admin.post(`/admin/users/${mo.id}`, { role: 'agent', is_active: 'on' }, { from: '/admin/users' });
  });

  it('never removes, demotes or deactivates the last active admin — in the panel and through the API', async () => {
    const page = await admin.post(`/admin/users/${rootId}`, { role: 'admin' }, { from: '/admin/users' });
    expect(page.status).toBe(422);
    expect(page.text).toContain('last active admin');
    const key = await ws.key(['*']);
    expect((await t.patch(`/api/v1/users/${rootId}`, { role: 'agent' }, { key })).status).toBe(422);
    expect((await t.delete(`/api/v1/users/${rootId}`, { key })).status).toBe(422);
    expect((await t.patch(`/api/v1/users/${rootId}`, { name: 'Root' }, { key })).status).toBe(200);

    // Two admins demoting each other at once: exactly one succeeds.
    const second = await createAdmin(t, ws.id, 'second@example.com');
    const results = await Promise.all([
      t.patch(`/api/v1/users/${rootId}`, { is_active: false }, { key }),
      t.patch(`/api/v1/users/${second.id}`, { role: 'agent' }, { key }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM users WHERE workspace_id = $1 AND role = 'admin' AND is_active`,
      [ws.id],
    );
    expect(n).toBe(1);
    // Restore root as the admin this file signs in with.
    await t.sql(`UPDATE users SET role = 'admin', is_active = true WHERE id = $1`, [rootId]);
    await admin.signIn('root@example.com', PASSWORD);
  });
});

describe('Integrations', () => {
  it('connects one from the catalog, secrets typed once and shown masked', async () => {
    const form = await admin.get('/admin/integrations/new?type=mailgun');
    expect(form.status).toBe(200);
    expect(form.text).toContain('A Mailgun sending API key.');
    const secret = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
    const missing = await admin.post(
      '/admin/integrations',
      { type: 'mailgun', name: 'Mail', 'config.api_key': secret, 'config.region': 'eu' },
      { from: '/admin/integrations/new?type=mailgun' },
    );
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('The config.domain field is required.');
    expect(missing.text).not.toContain(secret);
    const ok = await admin.post(
      '/admin/integrations',
      {
        type: 'mailgun',
        name: 'Mail',
        'config.api_key': secret,
        'config.domain': 'mg.example.com',
        'config.region': 'eu',
      },
      { from: '/admin/integrations/new?type=mailgun' },
    );
    expect(ok.status).toBe(303);
    const list = await admin.get('/admin/integrations');
    expect(list.text).toContain('mg.example.com');
    expect(list.text).toContain('••••eol0');
    expect(list.text).not.toContain(secret);
    const [row] = await t.sql<{ config: Record<string, string> }>(
      `SELECT config FROM integrations WHERE name = 'Mail'`,
    );
    expect(row.config.api_key).toMatch(/^v1:/);
    expect((await admin.get('/admin/integrations/new?type=nope')).status).toBe(404);
    const long = await admin.post(
      '/admin/integrations',
      {
        type: 'mailgun',
        name: 'x'.repeat(256),
        'config.api_key': secret,
        'config.domain': 'mg.example.com',
        'config.region': 'eu',
      },
      { from: '/admin/integrations/new?type=mailgun' },
    );
    expect(long.status).toBe(422);
  });
});

describe('Overview', () => {
  it('counts the last 30 days of leads by status and source, recent runs and failed deliveries', async () => {
    const key = await ws.key(['*']);
    for (const [status, source] of [
      ['new', 'website'],
      ['new', 'website'],
      ['converted', 'referral'],
    ])
      expect(
        (
          await t.post(
            '/api/v1/leads',
            { first_name: 'A', email: `${Math.random()}@x.io`, status, source },
            { key },
          )
        ).status,
      ).toBe(201);
    await t.sql(`UPDATE leads SET created_at = now() - interval '40 days' WHERE source = 'referral'`);
    const [a] = await t.sql<{ id: number }>(
      `INSERT INTO automations (workspace_id, name, trigger_type, actions) VALUES ($1, 'Ping CRM', 'lead.created', '[]') RETURNING id`,
      [ws.id],
    );
    const [r] = await t.sql<{ id: string }>(
      `INSERT INTO automation_runs (workspace_id, automation_id, event_id, event_type, status) VALUES ($1, $2, 1, 'lead.created', 'succeeded') RETURNING id`,
      [ws.id, a.id],
    );
    await t.sql(
      `INSERT INTO webhook_deliveries (id, workspace_id, automation_run_id, url, event_type, payload, status, attempts, last_status_code)
       VALUES (gen_random_uuid(), $1, $2, 'https://crm.example.com/hooks/secret-token', 'lead.created', '{}', 'failed', 6, 500)`,
      [ws.id, r.id],
    );
    const page = await admin.get('/admin/overview');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Leads of the last 30 days: 2');
    expect(page.text).toMatch(/<td>website<\/td><td class="num">2<\/td>/);
    expect(page.text).not.toContain('referral');
    expect(page.text).toContain('Ping CRM');
    expect(page.text).toContain('crm.example.com');
    expect(page.text).not.toContain('secret-token');
    expect(page.text).toContain('HTTP 500');
  });
});
