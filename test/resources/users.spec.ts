import { verify } from '@node-rs/argon2';
import { Logger } from '@nestjs/common';
import { insertLead, leadRow } from '../support/lead-rows';
import { TestApp, TestResponse, TestWorkspace } from '../support/test-app';

const PASSWORD = 'Tr0ub4dor&3-horse-staple';
const FIELDS = ['created_at', 'email', 'id', 'is_active', 'name', 'role', 'updated_at'];

/** The raw JSON must not mention the password, its hash or any password field. */
function expectNoSecrets(res: TestResponse, ...secrets: string[]) {
  const raw = JSON.stringify(res.body);
  for (const s of [...secrets, 'password', 'argon2', 'hash'])
    expect(raw.toLowerCase()).not.toContain(s.toLowerCase());
}

describe('users', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let key: string;

  const create = async (body: object, k = key) => {
    const res = await t.post('/api/v1/users', body, { key: k });
    expect(res.status).toBe(201);
    return res.body.data;
  };
  const storedHash = async (id: number) =>
    (await t.sql<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [id]))[0]
      .password_hash;

  beforeAll(async () => {
    t = await TestApp.start();
    ws = await t.workspace('users');
    key = await ws.key(['*']);
  });
  afterAll(() => t.close());

  it('creates a user with defaults and shows it', async () => {
    const u = await create({ name: ' Aiko Tanaka ', email: 'aiko@example.com' });
    expect(u).toEqual({
      id: expect.any(Number),
      name: 'Aiko Tanaka',
      email: 'aiko@example.com',
      role: 'agent',
      is_active: true,
      created_at: expect.stringMatching(/\+00:00$/),
      updated_at: expect.stringMatching(/\+00:00$/),
    });
    expect(await storedHash(u.id)).toBeNull();
    expect((await t.get(`/api/v1/users/${u.id}`, { key })).body).toEqual({ data: u });
  });

  it('stores the password as an argon2id hash and never returns it', async () => {
    const res = await t.post(
      '/api/v1/users',
      { name: 'Ben', email: 'ben@example.com', role: 'admin', is_active: false, password: PASSWORD },
      { key },
    );
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(FIELDS);
    expect(res.body.data).toMatchObject({ role: 'admin', is_active: false });
    const id = res.body.data.id;
    const stored = await storedHash(id);
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await verify(stored!, PASSWORD)).toBe(true);
    expectNoSecrets(res, PASSWORD, stored!);
    expectNoSecrets(await t.get(`/api/v1/users/${id}`, { key }), PASSWORD, stored!);
    expectNoSecrets(await t.get('/api/v1/users?per_page=100', { key }), PASSWORD, stored!);

    const newPassword = 'another-long-passphrase';
    const upd = await t.patch(`/api/v1/users/${id}`, { password: newPassword }, { key });
    expect(upd.status).toBe(200);
    const rehashed = await storedHash(id);
    expectNoSecrets(upd, PASSWORD, newPassword, stored!, rehashed!);
    expect(rehashed).toMatch(/^\$argon2id\$/);
    expect(await verify(rehashed!, newPassword)).toBe(true);
    const put = await t.put(`/api/v1/users/${id}`, { name: 'Benjamin' }, { key });
    expectNoSecrets(put, newPassword, rehashed!);
    expect(await storedHash(id)).toBe(rehashed); // untouched when not given
    expect((await t.patch(`/api/v1/users/${id}`, { password: null }, { key })).status).toBe(200);
    expect(await storedHash(id)).toBeNull();
  });

  it('an unexpected database error logs neither the password nor its hash', async () => {
    await t.sql(`CREATE FUNCTION test_explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = 'explode' THEN RAISE EXCEPTION 'boom: %', NEW; END IF; RETURN NEW; END $$`);
    await t.sql(
      `CREATE TRIGGER test_explode BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION test_explode()`,
    );
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const res = await t.post(
        '/api/v1/users',
        { name: 'explode', email: 'x@example.com', password: PASSWORD },
        { key },
      );
      expect(res.status).toBe(500);
      expectNoSecrets(res, PASSWORD);
      expect(spy).toHaveBeenCalled();
      const logged = spy.mock.calls
        .map((c) => JSON.stringify(c, Object.getOwnPropertyNames(c[0] ?? {})))
        .join();
      const all = JSON.stringify(spy.mock.calls.map((c) => ({ ...(c[0] as object) })));
      for (const text of [logged, all]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain('$argon2');
      }
    } finally {
      spy.mockRestore();
      await t.sql('DROP TRIGGER test_explode ON users');
      await t.sql('DROP FUNCTION test_explode()');
    }
  });

  it('updates with PUT and PATCH (both partial)', async () => {
    const u = await create({ name: 'Cleo', email: 'cleo@example.com' });
    const put = await t.put(`/api/v1/users/${u.id}`, { role: 'manager' }, { key });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({
      name: 'Cleo',
      email: 'cleo@example.com',
      role: 'manager',
      is_active: true,
    });
    const patch = await t.patch(
      `/api/v1/users/${u.id}`,
      { email: 'CLEO@example.org', is_active: false },
      { key },
    );
    expect(patch.body.data).toMatchObject({ email: 'CLEO@example.org', is_active: false, role: 'manager' });
    expect((await t.patch(`/api/v1/users/${u.id}`, {}, { key })).body.data).toEqual(patch.body.data);
  });

  it('422 for a taken email, case-insensitive, on create and on update', async () => {
    await create({ name: 'Dana', email: 'dana@example.com' });
    const e = await create({ name: 'Eve', email: 'eve@example.com' });
    for (const res of [
      await t.post('/api/v1/users', { name: 'Dup', email: 'DANA@Example.com' }, { key }),
      await t.patch(`/api/v1/users/${e.id}`, { email: 'Dana@example.com' }, { key }),
      await t.put(`/api/v1/users/${e.id}`, { email: 'dana@example.com' }, { key }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual({ email: ['The email has already been taken.'] });
    }
    expect((await t.patch(`/api/v1/users/${e.id}`, { email: 'EVE@example.com' }, { key })).status).toBe(200);
    const other = await t.workspace('users-other-email');
    await create({ name: 'Dana elsewhere', email: 'dana@example.com' }, await other.key());
  });

  it('delete unassigns their leads', async () => {
    const u = await create({ name: 'Finn', email: 'finn@example.com' });
    const keep = await create({ name: 'Gail', email: 'gail@example.com' });
    const lead = await insertLead(t, ws.id, { assigned_user_id: u.id });
    const other = await insertLead(t, ws.id, { assigned_user_id: keep.id });
    expect((await t.delete(`/api/v1/users/${u.id}`, { key })).status).toBe(204);
    expect((await t.get(`/api/v1/users/${u.id}`, { key })).status).toBe(404);
    expect(await leadRow(t, lead)).toMatchObject({ assigned_user_id: null });
    expect(await leadRow(t, other)).toMatchObject({ assigned_user_id: keep.id });
    expect((await t.delete(`/api/v1/users/${u.id}`, { key })).status).toBe(404);
  });

  describe('list', () => {
    let lk: string;
    const names = (res: TestResponse) => res.body.data.map((u: { name: string }) => u.name);
    beforeAll(async () => {
      const w = await t.workspace('users-list');
      lk = await w.key(['read:users', 'write:users']);
      for (const [name, email, role, is_active] of [
        ['Mia', 'mia@acme.test', 'admin', true],
        ['leo', 'LEO@beta.test', 'agent', true],
        ['Zoe', 'zoe@acme.test', 'manager', false],
        ['adam', 'adam@gamma.test', 'agent', false],
        ['Nina', 'nina@beta.test', 'agent', true],
      ] as const)
        await create({ name, email, role, is_active }, lk);
    });

    it('pages with meta and links', async () => {
      const res = await t.get('/api/v1/users?per_page=2&page=3&sort=name&direction=asc', { key: lk });
      expect(res.body.meta).toEqual({ current_page: 3, last_page: 3, per_page: 2, total: 5, from: 5, to: 5 });
      expect(names(res)).toEqual(['Zoe']);
      expect(res.body.links.next).toBeNull();
      expect(new URL(res.body.links.prev).searchParams.get('page')).toBe('2');
    });

    it('filters by role, is_active and search (name or email, case-insensitive)', async () => {
      const get = async (qs: string) =>
        names(await t.get(`/api/v1/users?${qs}&sort=name&direction=asc`, { key: lk }));
      expect(await get('role=agent')).toEqual(['adam', 'leo', 'Nina']);
      expect(await get('is_active=false')).toEqual(['adam', 'Zoe']);
      expect(await get('is_active=true&role=agent')).toEqual(['leo', 'Nina']);
      expect(await get('search=ACME')).toEqual(['Mia', 'Zoe']);
      expect(await get('search=ni')).toEqual(['Nina']);
      expect(await get('search=leo@')).toEqual(['leo']);
    });

    it('sorts by name, email and created_at in both directions', async () => {
      const get = async (qs: string) => names(await t.get(`/api/v1/users?${qs}`, { key: lk }));
      expect(await get('sort=name&direction=desc')).toEqual(['Zoe', 'Nina', 'Mia', 'leo', 'adam']);
      expect(await get('sort=email&direction=asc')).toEqual(['adam', 'leo', 'Mia', 'Nina', 'Zoe']);
      expect(await get('sort=created_at&direction=asc')).toEqual(['Mia', 'leo', 'Zoe', 'adam', 'Nina']);
      expect(await get('')).toEqual(['Nina', 'adam', 'Zoe', 'leo', 'Mia']);
    });

    it.each(['role=boss', 'is_active=yes', 'is_active=1', 'sort=password', 'direction=sideways', 'email=x'])(
      '422 for %s',
      async (qs) => {
        const res = await t.get(`/api/v1/users?${qs}`, { key: lk });
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual([qs.split('=')[0]]);
      },
    );
  });

  it("404 for another workspace's user on every route, and it is not listed", async () => {
    const other = await t.workspace('users-foreign');
    const theirs = await create({ name: 'Theirs', email: 'theirs@example.com' }, await other.key());
    for (const res of [
      await t.get(`/api/v1/users/${theirs.id}`, { key }),
      await t.put(`/api/v1/users/${theirs.id}`, { name: 'Mine' }, { key }),
      await t.patch(`/api/v1/users/${theirs.id}`, { password: 'a-new-long-password' }, { key }),
      await t.delete(`/api/v1/users/${theirs.id}`, { key }),
    ])
      expect(res.status).toBe(404);
    expect((await t.get('/api/v1/users?search=theirs', { key })).body.data).toEqual([]);
    expect(await t.sql('SELECT name, password_hash FROM users WHERE id = $1', [theirs.id])).toEqual([
      { name: 'Theirs', password_hash: null },
    ]);
  });

  it('403 without the scope; DELETE needs delete:users', async () => {
    const u = await create({ name: 'Scoped', email: 'scoped@example.com' });
    const read = await ws.key(['read:users']);
    const write = await ws.key(['write:users']);
    const del = await ws.key(['delete:users']);
    for (const k of [write, del]) {
      expect((await t.get('/api/v1/users', { key: k })).status).toBe(403);
      expect((await t.get(`/api/v1/users/${u.id}`, { key: k })).status).toBe(403);
    }
    for (const k of [read, del]) {
      expect((await t.post('/api/v1/users', { name: 'N', email: 'n@example.com' }, { key: k })).status).toBe(
        403,
      );
      expect((await t.put(`/api/v1/users/${u.id}`, { name: 'N' }, { key: k })).status).toBe(403);
      expect((await t.patch(`/api/v1/users/${u.id}`, { name: 'N' }, { key: k })).status).toBe(403);
    }
    for (const k of [read, write])
      expect((await t.delete(`/api/v1/users/${u.id}`, { key: k })).status).toBe(403);
    expect((await t.delete(`/api/v1/users/${u.id}`, { key: del })).status).toBe(204);
  });

  it.each([
    [{ email: 'x@example.com' }, 'name'],
    [{ name: '', email: 'x@example.com' }, 'name'],
    [{ name: 'X' }, 'email'],
    [{ name: 'X', email: 'not-an-email' }, 'email'],
    [{ name: 'X', email: 'a@b' }, 'email'],
    [{ name: 'X', email: 'x@example.com', role: 'boss' }, 'role'],
    [{ name: 'X', email: 'x@example.com', is_active: 'true' }, 'is_active'],
    [{ name: 'X', email: 'x@example.com', password: 'short-pass' }, 'password'],
    [{ name: 'X', email: 'x@example.com', password: 'p'.repeat(257) }, 'password'],
    [{ name: 'X', email: 'x@example.com', password: 123456789012 }, 'password'],
    [{ name: 'X', email: 'x@example.com', password_hash: '$argon2id$x' }, 'password_hash'],
    [{ name: 'X', email: 'x@example.com', workspace_id: 1 }, 'workspace_id'],
  ])('422 on create for %j', async (body, field) => {
    const res = await t.post('/api/v1/users', body, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toContain(field);
    expect(JSON.stringify(res.body)).not.toContain('short-pass');
  });

  it.each([
    [{ name: null }, 'name'],
    [{ email: null }, 'email'],
    [{ email: 'nope' }, 'email'],
    [{ role: null }, 'role'],
    [{ role: 'boss' }, 'role'],
    [{ is_active: null }, 'is_active'],
    [{ password: 'too-short' }, 'password'],
    [{ id: 5 }, 'id'],
  ])('422 on update for %j', async (body, field) => {
    const u = await create({ name: 'V', email: `v${Math.random()}@example.com` });
    const res = await t.patch(`/api/v1/users/${u.id}`, body, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });
});
