import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseClient } from './pg-client';
import { EmbeddedPostgresError, giveTo, Owner, Placement, unreachable } from './embedded-placement';

/** The low-level steps of the embedded cluster: initdb, pg_ctl start, stop, ports, first connection. */

const run = promisify(execFile);
export const DATABASE = 'leadhub';
/** In DATA_DIR: the cluster's port, reused on the next start while it is free (tools keep working). */
const PORT_FILE = 'pg-port';

export async function initialise(
  { pgDir, binDir, owner }: Placement,
  password: string,
  log: (l: string) => void,
): Promise<void> {
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

/**
 * Where the postmaster also listens on a Unix socket: its own folder, when the socket's path fits (sun_path holds
 * 107 bytes) and needs no quoting inside pg_ctl's -o. A local socket costs less per query than TCP on 127.0.0.1.
 */
export function socketDir(pgDir: string, port: number): string | undefined {
  return /^[\w/.-]+$/.test(pgDir) && socketPath(pgDir, port).length <= 100 ? pgDir : undefined;
}

export const socketPath = (dir: string, port: number): string => join(dir, `.s.PGSQL.${port}`);

/** Starts the postmaster detached (pg_ctl), waiting until it accepts connections. */
export async function startPostmaster(
  place: Placement,
  port: number,
  settings: Record<string, string> = {},
): Promise<void> {
  const all = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir(place.pgDir, port) ?? "''",
    ...settings,
  };
  const flags = [`-p ${port}`, ...Object.entries(all).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const log = join(place.pgDir, 'server.log');
  await spawnAs(place.owner, [
    join(place.binDir, 'pg_ctl'),
    'start',
    '-D',
    place.pgDir,
    '-w',
    '-t',
    '60',
    '-l',
    log,
    '-o',
    flags,
  ]);
}

/** Fast shutdown (rolls back open transactions, checkpoints, exits); resolves when the process is gone. */
export async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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

/**
 * The port to start on: the configured one (which must be free), else the one this DATA_DIR used last time while
 * it is free — so connection strings handed to tools keep working across restarts — else any free port.
 */
export async function choosePort(dataDir: string, configured?: number): Promise<number> {
  if (configured) {
    if (!(await isFree(configured)))
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL cannot start: port ${configured} (EMBEDDED_PG_PORT) on 127.0.0.1 is taken by ` +
          'another program. Free it, choose another EMBEDDED_PG_PORT, or unset it to let LeadHub pick one.',
      );
    return configured;
  }
  const remembered = Number(readText(join(dataDir, PORT_FILE)));
  if (Number.isInteger(remembered) && remembered > 0 && remembered < 65536 && (await isFree(remembered)))
    return remembered;
  return freePort();
}

export function rememberPort(dataDir: string, port: number): void {
  writeFileSync(join(dataDir, PORT_FILE), `${port}\n`, { mode: 0o644 });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

export async function waitForConnections(url: string): Promise<void> {
  for (let i = 0; ; i++) {
    const client = new DatabaseClient({ connectionString: url });
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

export async function ensureDatabase(adminUrl: string, log: (line: string) => void): Promise<void> {
  const client = new DatabaseClient({ connectionString: adminUrl });
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
