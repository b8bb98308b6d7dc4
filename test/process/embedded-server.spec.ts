import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { livePostmaster } from '../../src/database/embedded';
import { cli, firstKey, ServerProcess, tempDataDir } from '../support/server-process';

const auth = (key: string) => ({
  headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
});

async function tagNames(s: ServerProcess, key: string): Promise<string[]> {
  const res = await fetch(s.url('/api/v1/tags?sort=name&direction=asc'), auth(key));
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { name: string }[] }).data.map((t) => t.name);
}

async function createTag(s: ServerProcess, key: string, name: string) {
  const res = await fetch(s.url('/api/v1/tags'), {
    method: 'POST',
    body: JSON.stringify({ name }),
    ...auth(key),
  });
  expect(res.status).toBe(201);
}

jest.setTimeout(180_000); // each test spawns servers and CLI processes

describe('the server on the embedded database (as `npm start` runs it)', () => {
  const dataDir = tempDataDir();
  const env = { DATA_DIR: dataDir, LEADHUB_KEY_CACHE_TTL_MS: '300' };
  let key: string;
  // The server the stale-postmaster test brought back keeps running for the CLI tests after it: one start fewer,
  // and the CLI is checked beside a running server (the CLI alone starts the cluster in the bootstrap test below).
  let running: ServerProcess | undefined;
  const server = () => {
    if (!running) throw new Error('the server of the stale-postmaster test is not running');
    return running;
  };

  afterAll(async () => {
    await running?.stop();
    const live = livePostmaster(join(dataDir, 'pg'));
    if (live) process.kill(live.pid, 'SIGINT');
  });

  it('first start creates workspace default, prints one full-access key, and serves the API', async () => {
    const s = await ServerProcess.start(env);
    try {
      key = firstKey(s.output)!;
      expect(key).toMatch(/^lh_[A-Za-z0-9]{40}$/);
      expect(s.output).toContain('shown only this once');
      await createTag(s, key, 'before-restart');
      const health = await fetch(s.url('/api/v1/health'));
      expect(await health.json()).toMatchObject({ status: 'ok', version: '1.0.0' });
    } finally {
      expect(await s.stop('SIGTERM')).toBe(0);
    }
    expect(livePostmaster(join(dataDir, 'pg'))).toBeUndefined(); // a clean stop stops the cluster too
  });

  // One restart proves both: the data survived, and the served document is the committed one.
  it('restarts on the same data without printing a new key; serves the committed OpenAPI document and Swagger UI', async () => {
    const s = await ServerProcess.start(env);
    try {
      expect(firstKey(s.output)).toBeUndefined();
      expect(await tagNames(s, key)).toEqual(['before-restart']);
      const served = await (await fetch(s.url('/docs/openapi.json'))).json();
      const committed = JSON.parse(
        readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'),
      );
      expect(served).toEqual(committed);
      const ui = await fetch(s.url('/docs'));
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('swagger');
      // The key entered under "Authorize" survives a reload.
      const init = await (await fetch(s.url('/docs/swagger-ui-init.js'))).text();
      expect(init).toContain('"persistAuthorization": true');
    } finally {
      await s.stop();
    }
  });

  it('comes back after kill -9 of the server (the orphaned cluster is reused, then stopped)', async () => {
    const crashed = await ServerProcess.start(env);
    await createTag(crashed, key, 'before-crash');
    await crashed.stop('SIGKILL');
    expect(livePostmaster(join(dataDir, 'pg'))).toBeDefined(); // postgres outlived its owner
    const s = await ServerProcess.start(env);
    try {
      expect(await tagNames(s, key)).toEqual(['before-crash', 'before-restart']);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    expect(livePostmaster(join(dataDir, 'pg'))).toBeUndefined(); // adopted and stopped
  });

  it('comes back after kill -9 of both the server and PostgreSQL (stale postmaster.pid)', async () => {
    const crashed = await ServerProcess.start(env);
    const pg = livePostmaster(join(dataDir, 'pg'))!;
    await crashed.stop('SIGKILL');
    process.kill(pg.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    running = await ServerProcess.start(env);
    expect(await tagNames(running, key)).toEqual(['before-crash', 'before-restart']);
  });

  it('the CLI reports errors as JSON with a non-zero exit', async () => {
    server();
    await Promise.all([
      expect(
        cli(['key:create', '--workspace', 'missing', '--name', 'x', '--scopes', '*'], env),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('No workspace with slug'),
      }),
      expect(
        cli(['key:create', '--workspace', 'default', '--name', 'x', '--scopes', 'read:everything'], env),
      ).rejects.toMatchObject({
        stderr: expect.stringContaining('Unknown scope'),
      }),
    ]);
  });

  it('the CLI works on the cluster the running server uses; revocation is seen within seconds', async () => {
    const s = server();
    try {
      const ws = await cli(['workspace:create', '--slug', 'cli-ws', '--name', 'CLI workspace'], env);
      expect(ws).toMatchObject({ slug: 'cli-ws', name: 'CLI workspace' });
      const created = await cli(
        [
          'key:create',
          '--workspace',
          'cli-ws',
          '--name',
          'zapier',
          '--scopes',
          'read:tags,write:tags',
          '--rate-limit',
          '7',
        ],
        env,
      );
      expect(created.key).toMatch(/^lh_/);
      expect(created).toMatchObject({ scopes: ['read:tags', 'write:tags'], rate_limit: 7, revoked_at: null });
      const ok = await fetch(s.url('/api/v1/tags'), auth(created.key));
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit')).toBe('7');
      expect(await tagNames(s, created.key)).toEqual([]); // its own workspace only

      const [listed, workspaces] = await Promise.all([
        cli(['key:list', '--workspace', 'cli-ws'], env),
        cli(['workspace:list'], env),
      ]);
      expect(listed).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain(created.key);
      expect(workspaces.map((w: { slug: string }) => w.slug)).toEqual(['default', 'cli-ws']);

      const revoked = await cli(['key:revoke', '--id', String(created.id)], env);
      expect(revoked.revoked_at).not.toBeNull();
      await new Promise((r) => setTimeout(r, 600)); // the server's key cache TTL here is 300 ms
      expect((await fetch(s.url('/api/v1/tags'), auth(created.key))).status).toBe(401);
    } finally {
      running = undefined;
      await s.stop();
    }
    expect(livePostmaster(join(dataDir, 'pg'))).toBeUndefined();
  });
});

describe('LEADHUB_BOOTSTRAP_KEY', () => {
  it('ensures exactly that key exists (scope *, workspace default) and prints no generated key', async () => {
    const dataDir = tempDataDir();
    const key = 'lh_' + 'B'.repeat(40);
    const env = { DATA_DIR: dataDir, LEADHUB_BOOTSTRAP_KEY: key };
    for (let run = 0; run < 2; run++) {
      const s = await ServerProcess.start(env);
      try {
        expect(firstKey(s.output.replace(key, ''))).toBeUndefined();
        const res = await fetch(s.url('/api/v1/tags'), auth(key));
        expect(res.status).toBe(200);
      } finally {
        await s.stop();
      }
    }
    const keys = await cli(['key:list', '--workspace', 'default'], { DATA_DIR: dataDir });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ scopes: ['*'], name: 'bootstrap' });
  });
});
