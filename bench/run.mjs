// npm run bench [-- --leads 1000000 --duration 10 --connections 32]
// Seeds a workspace with N leads, starts the built server (dist/) and a bare node:http + pg "ceiling" server,
// drives both with autocannon from a forked process on 127.0.0.1, prints req/s, p50, p99 and the server's peak
// RSS, and records the table in docs/benchmarks.md (one section per lead count). Not part of npm test.
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { seed } from './seed.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const N = Number(arg('leads', 100_000));
const DURATION = Number(arg('duration', 10));
const CONNECTIONS = Number(arg('connections', 32));
const OUT = resolve(root, arg('out', 'docs/benchmarks.md'));
const log = (m) => process.stdout.write(`${m}\n`);
const BOOTSTRAP_KEY = 'lh_benchbootstrapkey000000000000000000000';

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

async function database() {
  if (process.env.DATABASE_URL) {
    const name = `leadhub_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    return {
      url: u.href,
      serverEnv: { DATABASE_URL: u.href },
      label: 'PostgreSQL at DATABASE_URL',
      stop: async () => {
        const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const { startEmbeddedPostgres } = require('../dist/src/database/embedded.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'leadhub-bench-'));
  const cluster = await startEmbeddedPostgres({ dataDir });
  return {
    url: cluster.url,
    serverEnv: { DATA_DIR: dataDir },
    label: 'embedded PostgreSQL (DATA_DIR in a temp dir)',
    stop: async () => {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startServer(env) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LEADHUB_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return { child, port };
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error('server exited during start');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function startCeiling(url, workspaceId) {
  const port = await freePort();
  const child = fork(join(root, 'bench/ceiling.mjs'), {
    env: { ...process.env, DATABASE_URL: url, WORKSPACE_ID: String(workspaceId), PORT: String(port) },
  });
  await new Promise((res) => child.once('message', res));
  return { child, port };
}

/** Two halves of one scenario as one result: mean req/s and p50, worst p99. */
function merge(parts) {
  const mean = (f) => parts.reduce((a, p) => a + p[f], 0) / parts.length;
  return {
    requestsPerSec: mean('requestsPerSec'),
    p50: mean('p50'),
    p99: Math.max(...parts.map((p) => p.p99)),
    non2xx: parts.reduce((a, p) => a + p.non2xx, 0),
    errors: parts.reduce((a, p) => a + p.errors, 0),
  };
}

function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function main() {
  if (!existsSync(join(root, 'dist/src/main.js')))
    throw new Error('run `nest build` first (npm run bench does)');
  log(
    `LeadHub benchmark: ${N.toLocaleString('en-US')} leads, ${DURATION}s per scenario, ${CONNECTIONS} connections`,
  );
  const db = await database();
  let server;
  let ceiling;
  const loader = fork(join(root, 'bench/load.mjs'));
  const run = (scenario) =>
    new Promise((res) => {
      loader.once('message', res);
      loader.send({ duration: DURATION, connections: CONNECTIONS, ...scenario });
    });
  try {
    const { runMigrations } = require('../dist/src/database/data-source.js');
    await runMigrations(db.url);
    log('seeding…');
    const s = await seed(db.url, N, log);
    log(
      `seeded in ${s.seconds.total.toFixed(1)}s (rows ${s.seconds.load.toFixed(1)}s, indexes ${s.seconds.indexes.toFixed(1)}s)`,
    );
    server = await startServer(db.serverEnv);
    ceiling = await startCeiling(db.url, s.workspaceId);
    const api = { port: server.port, key: s.key };
    await run({ ...api, path: '/api/v1/leads', duration: 3 }); // warm-ups, not reported
    await run({ port: ceiling.port, key: 'none', path: '/api/v1/leads', duration: 2 });
    const results = [];
    const record = (name, r) => {
      results.push({ name, ...r });
      log(
        `${name.padEnd(34)} ${r.requestsPerSec.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx} errors ${r.errors}`,
      );
    };
    // The lists and their ceiling run interleaved (ours, ceiling, ours, ceiling; half the duration each), so a
    // change in the shared machine's load hits both sides alike.
    for (const [name, path] of [
      ['list (default page)', '/api/v1/leads'],
      ['list status+source', '/api/v1/leads?status=new&source=website'],
    ]) {
      const ours = [];
      const bare = [];
      for (let i = 0; i < 2; i++) {
        ours.push(await run({ ...api, path, duration: DURATION / 2 }));
        bare.push(await run({ port: ceiling.port, key: 'none', path, duration: DURATION / 2 }));
      }
      record(name, merge(ours));
      record(`ceiling: ${name}`, merge(bare));
    }
    const scenarios = [
      ['search (email fragment)', { ...api, path: `/api/v1/leads?search=${s.searchTerm}` }],
      ['search (last name, ~5%)', { ...api, path: '/api/v1/leads?search=thompson' }],
      ['show', { ...api, kind: 'show', path: '/api/v1/leads', minId: s.minId, maxId: s.maxId }],
      [
        'create',
        {
          ...api,
          method: 'POST',
          path: '/api/v1/leads',
          body: { first_name: 'Bench', email: 'bench@example.com', tags: ['vip'] },
        },
      ],
      [
        'inbound (new leads)',
        { ...api, kind: 'inbound', method: 'POST', path: '/api/inbound/leads?tenant=bench' },
      ],
    ];
    for (const [name, scenario] of scenarios) record(name, await run(scenario));
    const rss = peakRss(server.child.pid);
    log(`server peak RSS (VmHWM): ${rss} MB`);
    const by = Object.fromEntries(results.map((r) => [r.name, r]));
    const ratio =
      by['list (default page)'].requestsPerSec / by['ceiling: list (default page)'].requestsPerSec;
    const ratioFiltered =
      by['list status+source'].requestsPerSec / by['ceiling: list status+source'].requestsPerSec;
    const search = by['search (email fragment)'];
    log(`search term: "${s.searchTerm}" (part of one lead's email); broad term: "thompson"`);
    const inbound = by['inbound (new leads)'];
    const targets = [
      [
        `list ≥ 50% of ceiling`,
        `${(ratio * 100).toFixed(0)}% (filtered: ${(ratioFiltered * 100).toFixed(0)}%)`,
        ratio >= 0.5,
      ],
      [
        `search p50 < 20 ms, p99 < 50 ms`,
        `p50 ${search.p50} ms, p99 ${search.p99} ms`,
        search.p50 < 20 && search.p99 < 50,
      ],
      [
        `inbound ≥ 1000 leads/s`,
        `${inbound.requestsPerSec.toFixed(0)} leads/s`,
        inbound.requestsPerSec >= 1000 && inbound.non2xx === 0,
      ],
    ];
    for (const [t, v, ok] of targets) log(`${ok ? 'HIT ' : 'MISS'} ${t}: ${v}`);
    writeReport({ s, rss, results, targets, dbLabel: db.label });
  } finally {
    loader.kill();
    ceiling?.child.kill('SIGTERM');
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
    }
    await db.stop();
  }
}

function writeReport({ s, rss, results, targets, dbLabel }) {
  const pgVersion = '';
  const section = [
    `<!-- bench:${N} -->`,
    `## ${N.toLocaleString('en-US')} leads`,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${dbLabel}${pgVersion}. ` +
      `autocannon: ${CONNECTIONS} connections, ${DURATION} s per scenario, from a forked process on 127.0.0.1; ` +
      `server started with LOG_LEVEL=warn. Seeding: ${s.seconds.total.toFixed(1)} s ` +
      `(rows ${s.seconds.load.toFixed(1)} s, indexes ${s.seconds.indexes.toFixed(1)} s).`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.requestsPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`,
    ),
    '',
    `Search terms: "${s.searchTerm}" (part of one lead's email, a handful of matches) and "thompson" (a last name, ~5% of leads). ` +
      `List, show and search read the seeded workspace; create and inbound (unique emails, tag "newsletter") insert new leads.`,
    '',
    `Server peak RSS (VmHWM): **${rss} MB**.`,
    '',
    '| target | result | |',
    '|---|---|---|',
    ...targets.map(([t, v, ok]) => `| ${t} | ${v} | ${ok ? 'hit' : '**miss**'} |`),
    `<!-- /bench:${N} -->`,
  ].join('\n');
  const header =
    '# Benchmarks\n\nProduced by `npm run bench` (`bench/run.mjs`; `-- --leads 1000000` for a million). Each section is ' +
    'replaced when the benchmark runs again with the same lead count. The machine is shared, so numbers vary between ' +
    'runs; the ceiling is a bare `node:http` + `pg` server running the same list SQL (same pool size), measured in ' +
    'the same run, interleaved with our list (two halves each) so load changes hit both alike.\n';
  let doc = existsSync(OUT) ? readFileSync(OUT, 'utf8') : header;
  const re = new RegExp(`<!-- bench:${N} -->[\\s\\S]*?<!-- /bench:${N} -->`);
  doc = re.test(doc) ? doc.replace(re, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(OUT, doc);
  log(`wrote ${OUT}`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
