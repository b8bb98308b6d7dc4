import { relative } from 'node:path';
import { Client } from 'pg';
import { cli, cliRun, PROJECT_ROOT, ServerProcess, tempDataDir } from '../support/server-process';

jest.setTimeout(180_000);

const BOOTSTRAP = 'lh_' + 'C'.repeat(40);
const auth = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });

describe('the leadhub CLI', () => {
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir, LEADHUB_BOOTSTRAP_KEY: BOOTSTRAP, LEADHUB_KEY_CACHE_TTL_MS: '200' };
  let server: ServerProcess;

  beforeAll(async () => {
    server = await ServerProcess.start(env);
    await cli(['workspace:create', '--slug', 'acme', '--name', 'Acme'], env);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('key:create refuses an expiry in the past and lists the valid scopes for an unknown one', async () => {
    // Independent refusals run at once (the CLI attaches to the running server's cluster).
    const [past, scope] = await Promise.all([
      cliRun(
        [
          'key:create',
          '--workspace',
          'acme',
          '--name',
          'x',
          '--scopes',
          '*',
          '--expires-at',
          '2020-01-01T00:00:00Z',
        ],
        env,
      ),
      cliRun(['key:create', '--workspace', 'acme', '--name', 'x', '--scopes', 'read:lead'], env),
    ]);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/in the past/);
    expect(scope.code).toBe(1);
    expect(scope.stderr).toContain('Unknown scope(s): read:lead');
    expect(scope.stderr).toContain('Valid scopes: *, read:leads, write:leads, delete:leads');
    expect((await cli(['key:list', '--workspace', 'acme'], env)).length).toBe(0);
  });

  it('key:update changes the rate limit, scopes, name and expiry; running servers follow; key:list shows expiry', async () => {
    const created = await cli(
      ['key:create', '--workspace', 'acme', '--name', 'zap', '--scopes', 'read:tags'],
      env,
    );
    let res = await fetch(server.url('/api/v1/tags'), auth(created.key));
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
    expect((await fetch(server.url('/api/v1/leads'), auth(created.key))).status).toBe(403);

    const future = new Date(Date.now() + 86_400_000).toISOString();
    const updated = await cli(
      [
        'key:update',
        '--id',
        String(created.id),
        '--rate-limit',
        '5000',
        '--scopes',
        'read:tags,read:leads',
        '--name',
        'zapier',
        '--expires-at',
        future,
      ],
      env,
    );
    expect(updated).toMatchObject({
      name: 'zapier',
      rate_limit: 5000,
      scopes: ['read:tags', 'read:leads'],
      status: 'active',
    });
    await new Promise((r) => setTimeout(r, 400)); // the server's key cache (200 ms here)
    res = await fetch(server.url('/api/v1/tags'), auth(created.key));
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
    expect((await fetch(server.url('/api/v1/leads'), auth(created.key))).status).toBe(200);

    const [bad, missing, nothing, dbUrl] = await Promise.all([
      cliRun(['key:update', '--id', String(created.id), '--expires-at', '2001-01-01T00:00:00Z'], env),
      cliRun(['key:update', '--id', '99999', '--name', 'n'], env),
      cliRun(['key:update', '--id', String(created.id)], env),
      cliRun(['db:url'], env),
    ]);
    expect(bad.stderr).toMatch(/in the past/);
    expect(missing.stderr).toContain('No API key with id 99999');
    expect(nothing.stderr).toContain('nothing to change');

    // A key that expired shows as expired.
    const c = new Client({ connectionString: dbUrl.stdout.trim() });
    await c.connect();
    await c.query(`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [created.id]);
    await c.end();
    const [listed, human] = await Promise.all([
      cli(['key:list', '--workspace', 'acme'], env),
      cliRun(['key:list', '--workspace', 'acme'], env),
    ]);
    expect(listed[0]).toMatchObject({ id: created.id, status: 'expired' });
    expect(human.stdout).toMatch(/zapier\tread:tags,read:leads\t5000\/h\texpired/);
    const never = await cli(['key:update', '--id', String(created.id), '--expires-at', 'never'], env);
    expect(never).toMatchObject({ status: 'active', expires_at: null });
  });

  it('user:create reads the password from standard input and validates like the API', async () => {
    const ok = await cliRun(
      [
        'user:create',
        '--workspace',
        'acme',
        '--email',
        'admin@example.com',
        '--name',
        'Ada Admin',
        '--role',
        'admin',
        '--json',
      ],
      env,
      { input: 'correct horse battery staple\n' },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      email: 'admin@example.com',
      role: 'admin',
      has_password: true,
    });
    // The refusals (none writes) and db:url at once.
    const [dbUrl, short, taken, role] = await Promise.all([
      cliRun(['db:url'], env),
      cliRun(
        ['user:create', '--workspace', 'acme', '--email', 'b@example.com', '--name', 'B', '--role', 'admin'],
        env,
        { input: 'short' },
      ),
      cliRun(
        [
          'user:create',
          '--workspace',
          'acme',
          '--email',
          'ADMIN@example.com',
          '--name',
          'Again',
          '--role',
          'agent',
        ],
        env,
        { input: 'another long password' },
      ),
      cliRun(
        ['user:create', '--workspace', 'acme', '--email', 'c@example.com', '--name', 'C', '--role', 'boss'],
        env,
        { input: 'another long password' },
      ),
    ]);
    const c = new Client({ connectionString: dbUrl.stdout.trim() });
    await c.connect();
    const { rows } = await c.query(`SELECT password_hash FROM users WHERE email = 'admin@example.com'`);
    await c.end();
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password/);
    expect(taken.stderr).toContain('has already been taken');
    expect(role.stderr).toMatch(/role/);
  });

  it('finds the same data from any working directory (a relative DATA_DIR is relative to the project)', async () => {
    const rel = relative(PROJECT_ROOT, dataDir);
    const [fromRoot, fromTmp] = await Promise.all([
      cliRun(['workspace:list', '--json'], { ...env, DATA_DIR: rel }, { cwd: PROJECT_ROOT }),
      cliRun(['workspace:list', '--json'], { ...env, DATA_DIR: rel }, { cwd: '/' }),
    ]);
    expect(JSON.parse(fromRoot.stdout).map((w: { slug: string }) => w.slug)).toEqual(['default', 'acme']);
    expect(fromTmp.stdout).toBe(fromRoot.stdout);
  });

  it('db:url prints a connection string tools can use', async () => {
    const url = (await cliRun(['db:url'], env)).stdout.trim();
    expect(url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/leadhub$/);
    const c = new Client({ connectionString: url });
    await c.connect();
    expect((await c.query('SELECT count(*)::int AS n FROM workspaces')).rows[0].n).toBe(2);
    await c.end();
  });
});
