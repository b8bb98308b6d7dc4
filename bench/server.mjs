// Helpers of the benchmarks that run the built server as a child process (bench:abuse, bench:soak): a fresh
// database (at DATABASE_URL, else an embedded cluster in a temporary folder), the server on a free port of
// 127.0.0.1, tenants made with the CLI, and the readiness details (the worker's backlog).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

let root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The server and CLI of another built checkout (to compare builds); default: this one. */
export function useBuild(dir) {
  root = dir;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const freePort = () =>
  new Promise((res) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

export async function database(prefix) {
  if (process.env.DATABASE_URL) {
    const name = `leadhub_${prefix}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: u.href },
      label: 'PostgreSQL at DATABASE_URL',
      stop: async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), `leadhub-${prefix}-`));
  return {
    env: { DATA_DIR: dataDir },
    label: 'embedded PostgreSQL',
    stop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/**
 * A fresh database that can be seeded before the server starts: at DATABASE_URL unless `embedded`, else an embedded
 * cluster in a temporary folder that the server then adopts. `url` to connect, `serverEnv` for the server.
 */
export async function seedableDatabase(embedded) {
  if (!embedded) {
    const name = `leadhub_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const version = (await admin.query('SHOW server_version')).rows[0].server_version;
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    return {
      url: u.href,
      serverEnv: { DATABASE_URL: u.href },
      kind: 'postgres',
      label: `PostgreSQL ${version} at DATABASE_URL`,
      stop: async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const { startEmbeddedPostgres } = createRequire(import.meta.url)(join(root, 'dist/src/database/embedded.js'));
  const dataDir = mkdtempSync(join(tmpdir(), 'leadhub-bench-'));
  const cluster = await startEmbeddedPostgres({ dataDir });
  return {
    url: cluster.url,
    // The server adopts the cluster already running in DATA_DIR; DATABASE_URL must not override it.
    serverEnv: { DATA_DIR: dataDir, DATABASE_URL: undefined },
    kind: 'embedded',
    label: 'embedded PostgreSQL (DATA_DIR in a temp dir)',
    stop: async () => {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `env` without its undefined values: a variable set to undefined is unset, not "undefined". */
const withoutUnset = (env) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));

/** The node flags of `npm start` (package.json), so a bench measures the server as users run it. */
const START_NODE_ARGS = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((a) => a.startsWith('--'));

/**
 * Starts the built server with `env` over the process environment and `npm start`'s node flags (then `nodeArgs`,
 * which win where they repeat one); resolves once it answers.
 */
export async function startServer(env, nodeArgs = []) {
  const main = join(root, 'dist/src/main.js');
  nodeArgs = [...START_NODE_ARGS, ...nodeArgs];
  const port = await freePort();
  const out = join(tmpdir(), `leadhub-bench-server-${process.pid}-${port}.log`);
  const child = spawn('sh', ['-c', `exec "${process.execPath}" ${nodeArgs.map((a) => `"${a}"`).join(' ')} "${main}" > "${out}" 2>&1`], {
    env: withoutUnset({
      ...process.env,
      REDIS_URL: process.env.REDIS_URL ?? '',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LEADHUB_ALLOW_PRIVATE_URLS: '1',
    }),
    stdio: 'ignore',
  });
  for (let i = 0; i < 900; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined))?.ok)
      return { child, port, out };
    if (child.exitCode !== null) throw new Error(`server exited during start, see ${out}`);
    await sleep(100);
  }
  throw new Error(`server did not start, see ${out}`);
}

export async function cli(env, ...args) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(root, 'bin/leadhub.js'), ...args, '--json'],
    { env: { ...process.env, ...env } },
  );
  return JSON.parse(stdout);
}

export async function tenant(env, slug) {
  await cli(env, 'workspace:create', '--slug', slug, '--name', slug);
  return (
    await cli(
      env,
      'key:create',
      '--workspace',
      slug,
      '--name',
      'bench',
      '--scopes',
      '*',
      '--rate-limit',
      '100000000',
    )
  ).key;
}

/** GET /api/v1/health/ready's body (backlog: events, oldest_event_age_seconds, webhooks_due), or undefined. */
export async function readiness(port) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).catch(() => undefined);
  return res?.json().catch(() => undefined);
}

/** One API request with the key; status 0 for a timeout or a refused connection. `ms`: its latency. */
export async function timedRequest(port, key, method, path, body, timeoutMs = 15_000) {
  const started = Date.now();
  let status = 0;
  let json;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    json = await res.json().catch(() => undefined);
  } catch {
    /* status 0 */
  }
  return { status, json, ms: Date.now() - started };
}

/**
 * CPU ms used so far by these processes and by each backend connected to the database (Linux /proc; the PostgreSQL
 * server must run on this machine).
 */
export async function cpuMs(databaseUrl, pids) {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const { rows } = await c.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await c.end();
  const ticks = (pid) => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in 10 ms clock ticks
    } catch {
      return 0; // exited meanwhile
    }
  };
  return {
    node: pids.reduce((sum, pid) => sum + ticks(pid), 0),
    db: new Map(rows.map((r) => [r.pid, ticks(r.pid)])),
  };
}
