// npm run bench [-- --leads 1000000 --duration 10 --connections 32 --latency-duration 10 --burst 30 --embedded]
// Seeds a workspace with N leads in bulk (bench/seed.mjs: server-side INSERT … SELECT generate_series, indexes
// rebuilt after the load), starts the built server (dist/) and a bare node:http + pg "ceiling" server running
// the same SQL (bench/ceiling.mjs), and measures, from a forked autocannon process on 127.0.0.1:
//  1. latency at 1 connection (p50/p99 of list, filtered list, show, selective and common-term search, create);
//  2. throughput at --connections (req/s, with the ceiling interleaved for list, show, create and inbound);
//  3. round trips and statements per request of create and inbound (a counting proxy in front of PostgreSQL,
//     bench/pg-counter.mjs, for a second server and a second ceiling);
//  4. the automation worker under a --burst seconds inbound burst with one lead.created → add_tag automation
//     (backlog of unprocessed domain_events each second, time to drain after the burst);
//  5. the server's peak RSS per scenario (VmRSS sampled every 100 ms) and overall (VmHWM).
// PostgreSQL at DATABASE_URL (a fresh database, dropped after), or the embedded database when DATABASE_URL is
// unset or with --embedded. Records one section per lead count and database in --out (docs/benchmarks.md);
// --note "…" adds a line to it (e.g. "busy machine, tool check"), --no-record prints only. Not part of npm test.
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startCounter } from './pg-counter.mjs';
import { seed } from './seed.mjs';
import { seedableDatabase, startServer as startBenchServer } from './server.mjs';
import { arg, flag, recordSection } from './cli.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(arg('leads', 100_000));
const DURATION = Number(arg('duration', 10));
const CONNECTIONS = Number(arg('connections', 32));
const LATENCY_DURATION = Number(arg('latency-duration', DURATION));
const BURST = Number(arg('burst', 30));
const ROUND_TRIP_REQUESTS = 100;
const EMBEDDED = flag('embedded') || !process.env.DATABASE_URL;
const RECORD = !flag('no-record');
const NOTE = arg('note', '');
const OUT = resolve(root, arg('out', 'docs/benchmarks.md'));
const log = (m) => process.stdout.write(`${m}\n`);
/** Interleaved rounds of each scenario and its ceiling. */
const ROUNDS = 4;
const BOOTSTRAP_KEY = 'lh_benchbootstrapkey000000000000000000000';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

/** The built server as `npm start` runs it (bench/server.mjs), with the bench's bootstrap key. */
const startServer = (env) => startBenchServer({ ...env, LEADHUB_BOOTSTRAP_KEY: BOOTSTRAP_KEY });

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

async function startCeiling(url, workspaceId) {
  const port = await freePort();
  const child = fork(join(root, 'bench/ceiling.mjs'), {
    env: { ...process.env, DATABASE_URL: url, WORKSPACE_ID: String(workspaceId), PORT: String(port) },
  });
  await new Promise((res) => child.once('message', res));
  return { child, port };
}

/** Slices of one scenario as one result: mean req/s and p50, worst p99. */
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

const status = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return '';
  }
};
const kb = (text, field) => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(text);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

/** Samples the server's VmRSS every 100 ms; `during(fn)` returns fn's result and the peak RSS meanwhile. */
function rssSampler(pid) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, kb(status(pid), 'VmRSS') || 0);
  }, 100);
  return {
    async during(fn) {
      peak = kb(status(pid), 'VmRSS') || 0;
      const out = await fn();
      return { ...out, rss: Math.max(peak, kb(status(pid), 'VmRSS') || 0) };
    },
    stop: () => clearInterval(timer),
  };
}

const fmt = (ms) => (ms >= 10 ? ms.toFixed(0) : ms.toFixed(1));
const rate = (x) => Math.round(x).toLocaleString('en-US');

async function main() {
  if (!existsSync(join(root, 'dist/src/main.js')))
    throw new Error('run `nest build` first (npm run bench does)');
  const loadBefore = loadavg()[0];
  log(
    `LeadHub benchmark: ${N.toLocaleString('en-US')} leads, ${DURATION}s per scenario at ${CONNECTIONS} connections, ` +
      `${LATENCY_DURATION}s per scenario at 1 connection, ${EMBEDDED ? 'embedded database' : 'PostgreSQL at DATABASE_URL'}; load ${loadBefore.toFixed(2)}`,
  );
  const db = await seedableDatabase(EMBEDDED);
  let server;
  let ceiling;
  let rss;
  const loader = fork(join(root, 'bench/load.mjs'));
  const run = (scenario) =>
    new Promise((res) => {
      loader.once('message', res);
      loader.send({ duration: DURATION, connections: CONNECTIONS, ...scenario });
    });
  const admin = new pg.Client({ connectionString: db.url });
  try {
    const { runMigrations } = require('../dist/src/database/data-source.js');
    await runMigrations(db.url);
    log('seeding…');
    const s = await seed(db.url, N, log, {
      parallel: Number(arg('seed-parallel', 2)),
      // Above 1M leads the trigram index build dominates the seeding; more memory made it ~20% faster at 3M.
      ginMemory: arg('gin-memory', N > 1_000_000 ? '2GB' : undefined),
    });
    log(
      `seeded in ${s.seconds.total.toFixed(1)}s (rows ${s.seconds.load.toFixed(1)}s, indexes ${s.seconds.indexes.toFixed(1)}s); ` +
        `"${s.commonTerm}" on ${s.commonShare}% of leads`,
    );
    if (flag('seed-only')) return;
    await admin.connect();
    server = await startServer(db.serverEnv);
    ceiling = await startCeiling(db.url, s.workspaceId);
    rss = rssSampler(server.child.pid);
    const api = { port: server.port, key: s.key };
    const bare = { port: ceiling.port, key: 'none' };
    const measure = (scenario) => rss.during(() => run(scenario));
    await run({ ...api, path: '/api/v1/leads', duration: 3 }); // warm-ups, not reported
    await run({ ...bare, path: '/api/v1/leads', duration: 2 });

    const paths = {
      list: '/api/v1/leads',
      filtered: '/api/v1/leads?status=new&source=website',
      selective: `/api/v1/leads?search=${encodeURIComponent(s.searchTerm)}`,
      common: `/api/v1/leads?search=${s.commonTerm}`,
    };
    const show = { kind: 'show', path: '/api/v1/leads', minId: s.minId, maxId: s.maxId };
    const create = {
      method: 'POST',
      path: '/api/v1/leads',
      body: { first_name: 'Bench', email: 'bench@example.com', tags: ['vip'] },
    };
    const inbound = { kind: 'inbound', method: 'POST', path: '/api/inbound/leads?tenant=bench' };

    // 1. Latency at one connection: each request waits for the previous one, so p50/p99 are the request's own
    // time, not queueing (at 32 connections p50 ≈ 32 / throughput).
    const latency = [];
    for (const [name, sc] of [
      ['list (default page)', { path: paths.list }],
      ['list status+source', { path: paths.filtered }],
      ['show', show],
      ['search, selective term', { path: paths.selective }],
      [`search, common term (~${Math.round(s.commonShare)}%)`, { path: paths.common }],
      ['create', create],
    ]) {
      const r = await measure({ ...api, ...sc, connections: 1, duration: LATENCY_DURATION });
      latency.push({ name, ...r });
      log(
        `1 conn  ${name.padEnd(30)} p50 ${fmt(r.p50).padStart(6)} ms  p99 ${fmt(r.p99).padStart(6)} ms  ${rate(r.requestsPerSec)} req/s  non-2xx ${r.non2xx}`,
      );
    }

    // 2. Throughput at CONNECTIONS; scenarios with a ceiling run interleaved with it (ours, ceiling, ours, …:
    // ROUNDS slices of the duration each), so a change in the shared machine's load hits both alike.
    const throughput = [];
    for (const [name, sc, withCeiling] of [
      ['list (default page)', { path: paths.list }, true],
      ['list status+source', { path: paths.filtered }, true],
      ['show', show, true],
      ['search, selective term', { path: paths.selective }, false],
      [`search, common term (~${Math.round(s.commonShare)}%)`, { path: paths.common }, false],
      ['create', create, true],
      ['inbound (new leads)', inbound, true],
    ]) {
      let r;
      let c;
      if (withCeiling) {
        const ours = [];
        const theirs = [];
        let peak = 0;
        for (let i = 0; i < ROUNDS; i++) {
          const o = await measure({ ...api, ...sc, duration: DURATION / ROUNDS });
          peak = Math.max(peak, o.rss);
          ours.push(o);
          theirs.push(await run({ ...bare, ...sc, duration: DURATION / ROUNDS }));
        }
        r = { ...merge(ours), rss: peak };
        c = merge(theirs);
      } else r = await measure({ ...api, ...sc });
      throughput.push({ name, ...r, ceiling: c });
      log(
        `${CONNECTIONS} conn ${name.padEnd(30)} ${rate(r.requestsPerSec).padStart(6)} req/s  p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms` +
          (c
            ? `  ceiling ${rate(c.requestsPerSec)} req/s (${((100 * r.requestsPerSec) / c.requestsPerSec).toFixed(0)}%)`
            : '') +
          `  non-2xx ${r.non2xx} errors ${r.errors}  RSS ${r.rss} MB`,
      );
    }

    // 3. Round trips per lead: a second server (worker off) and a second ceiling behind a counting proxy.
    const roundTrips = await countRoundTrips(db, s, { create, inbound });
    for (const r of roundTrips)
      log(
        `round trips per request, ${r.name}: server ${r.server.roundTrips} (${r.server.statements} statements), ceiling ${r.ceiling.roundTrips}`,
      );

    // 4. Automations keep up: one lead.created → add_tag automation, a BURST s inbound burst at CONNECTIONS.
    const worker = await burst(admin, api, inbound, rss);
    log(
      `worker: ${BURST} s inbound burst at ${rate(worker.inbound.requestsPerSec)} req/s, ${worker.events} events; ` +
        `${rate(worker.writtenRate)} events/s written, ${rate(worker.processedRate)} events/s processed; ` +
        `max backlog ${worker.maxBacklog}, ${worker.atEnd} at the burst's end, drained ${worker.drain}` +
        (worker.before ? ` (${worker.before} events were still pending before the burst)` : ''),
    );
    log(`backlog each second: ${worker.samples.join(' ')}`);
    const hwm = kb(status(server.child.pid), 'VmHWM');
    log(`server peak RSS (VmHWM): ${hwm} MB`);
    const loadAfter = loadavg()[0];
    if (RECORD)
      writeReport({ s, hwm, latency, throughput, roundTrips, worker, db, load: [loadBefore, loadAfter] });
  } finally {
    rss?.stop();
    loader.kill();
    await admin.end().catch(() => {});
    if (ceiling) await stopChild(ceiling.child);
    if (server) await stopChild(server.child);
    await db.stop();
  }
}

/** Round trips and statements per create / inbound request, for a server and a ceiling behind a counting proxy. */
async function countRoundTrips(db, s, { create, inbound }) {
  const u = new URL(db.url);
  const counter = await startCounter({ host: u.hostname, port: Number(u.port || 5432) });
  const proxied = new URL(db.url);
  proxied.port = String(counter.port);
  const server = await startServer({ DATABASE_URL: proxied.href, DATA_DIR: undefined, LEADHUB_WORKER: '0' });
  const ceiling = await startCeiling(proxied.href, s.workspaceId);
  const out = [];
  try {
    for (const [name, sc] of [
      ['create', create],
      ['inbound (new leads)', inbound],
    ]) {
      const row = { name };
      for (const [side, port, key] of [
        ['server', server.port, s.key],
        ['ceiling', ceiling.port, 'none'],
      ]) {
        const body = (i) =>
          sc.kind === 'inbound'
            ? {
                email: `rt-${side}-${i}@bench.test`,
                first_name: 'Inbound',
                source: 'zapier',
                tags: ['newsletter'],
              }
            : sc.body;
        const call = (i) =>
          fetch(`http://127.0.0.1:${port}${sc.path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(body(i)),
          }).then((r) => r.arrayBuffer());
        for (let i = 0; i < 5; i++) await call(`warm-${i}`); // caches (API key, prepared state) warm
        await sleep(200);
        counter.reset();
        for (let i = 0; i < ROUND_TRIP_REQUESTS; i++) await call(i);
        const { roundTrips, statements } = counter.counts;
        row[side] = {
          roundTrips: +(roundTrips / ROUND_TRIP_REQUESTS).toFixed(2),
          statements: +(statements / ROUND_TRIP_REQUESTS).toFixed(2),
        };
      }
      out.push(row);
    }
  } finally {
    await stopChild(ceiling.child);
    await stopChild(server.child);
    await counter.close();
  }
  return out;
}

/** The worker under an inbound burst with one active lead.created → add_tag automation. */
async function burst(admin, api, inbound, rss) {
  const backlog = async () =>
    (await admin.query(`SELECT count(*)::int AS n FROM domain_events WHERE processed_at IS NULL`)).rows[0].n;
  const res = await fetch(`http://127.0.0.1:${api.port}/api/v1/automations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'tag new leads',
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'seen' }],
    }),
  });
  if (!res.ok) throw new Error(`POST /api/v1/automations: ${res.status} ${await res.text()}`);
  // What the earlier scenarios left (their events, no automation then) drains first.
  let before = await backlog();
  for (let i = 0; i < 240 && before > 0; i++) {
    await sleep(500);
    before = await backlog();
  }
  const [{ last }] = (await admin.query(`SELECT coalesce(max(id), 0)::bigint AS last FROM domain_events`))
    .rows;
  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push(await backlog());
      await sleep(1000);
    }
  })();
  const r = await rss.during(() => run2(inbound, api));
  sampling = false;
  await sampler;
  const endedAt = Date.now();
  const atEnd = await backlog();
  const [{ written }] = (
    await admin.query(`SELECT count(*)::int AS written FROM domain_events WHERE id > $1`, [last])
  ).rows;
  let left = atEnd;
  while (left > 0 && Date.now() - endedAt < 120_000) {
    await sleep(250);
    left = await backlog();
  }
  const drainS = (Date.now() - endedAt) / 1000;
  const [{ events }] = (
    await admin.query(`SELECT count(*)::int AS events FROM domain_events WHERE id > $1`, [last])
  ).rows;
  return {
    inbound: r,
    before,
    events,
    samples,
    atEnd,
    // Events per second the burst wrote, and the worker processed meanwhile (written − left at its end).
    writtenRate: written / BURST,
    processedRate: (written - atEnd) / BURST,
    maxBacklog: Math.max(atEnd, ...samples),
    drain:
      left > 0
        ? `not within 120 s (${left} left)`
        : atEnd === 0
          ? 'nothing left'
          : `in ${drainS.toFixed(1)} s`,
    rss: r.rss,
  };
}

/** The burst's load (the loader is module-level in main; a second one so the burst cannot collide with it). */
function run2(scenario, api) {
  const loader = fork(join(root, 'bench/load.mjs'));
  return new Promise((res) => {
    loader.once('message', (m) => {
      loader.kill();
      res(m);
    });
    loader.send({ ...api, ...scenario, duration: BURST, connections: CONNECTIONS });
  });
}

function writeReport({ s, hwm, latency, throughput, roundTrips, worker, db, load }) {
  const key = `${N}:${db.kind}`;
  const ratio = (r) =>
    r.ceiling ? `${((100 * r.requestsPerSec) / r.ceiling.requestsPerSec).toFixed(0)}%` : '';
  const by = Object.fromEntries(throughput.map((r) => [r.name, r]));
  const rt = Object.fromEntries(roundTrips.map((r) => [r.name, r]));
  const section = [
    `## ${N.toLocaleString('en-US')} leads, ${db.kind === 'embedded' ? 'embedded database' : 'PostgreSQL server'}`,
    '',
    ...(NOTE ? [`**${NOTE}**`, ''] : []),
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${db.label}; load average ${load[0].toFixed(1)} before, ` +
      `${load[1].toFixed(1)} after. autocannon from a forked process on 127.0.0.1; server with LOG_LEVEL=warn. ` +
      `Seeding (bulk, in the database): ${s.seconds.total.toFixed(1)} s (rows ${s.seconds.load.toFixed(1)} s, ` +
      `indexes ${s.seconds.indexes.toFixed(1)} s). Search terms: "${s.searchTerm}" (one lead's e-mail) and ` +
      `"${s.commonTerm}" (a last name on ${s.commonShare}% of leads).`,
    '',
    `**Latency at 1 connection** (${LATENCY_DURATION} s per scenario):`,
    '',
    '| scenario | p50 ms | p99 ms | req/s | non-2xx | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|',
    ...latency.map(
      (r) =>
        `| ${r.name} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${rate(r.requestsPerSec)} | ${r.non2xx + r.errors} | ${r.rss} |`,
    ),
    '',
    `**Throughput at ${CONNECTIONS} connections** (${DURATION} s per scenario; with a ceiling: ${ROUNDS} interleaved slices each):`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | ceiling req/s | ratio | non-2xx + errors | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...throughput.map(
      (r) =>
        `| ${r.name} | ${rate(r.requestsPerSec)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.ceiling ? rate(r.ceiling.requestsPerSec) : ''} | ${ratio(r)} | ${r.non2xx + r.errors} | ${r.rss} |`,
    ),
    '',
    '**Ingestion** (the ceiling runs the same transaction, same statements, synchronous_commit on; round trips ' +
      `and statements per request counted by a proxy in front of PostgreSQL over ${ROUND_TRIP_REQUESTS} sequential requests):`,
    '',
    '| path | req/s | ceiling req/s | ratio | round trips / lead | statements / lead | ceiling round trips |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...['create', 'inbound (new leads)'].map(
      (n) =>
        `| ${n} | ${rate(by[n].requestsPerSec)} | ${rate(by[n].ceiling.requestsPerSec)} | ${ratio(by[n])} | ${rt[n].server.roundTrips} | ${rt[n].server.statements} | ${rt[n].ceiling.roundTrips} |`,
    ),
    '',
    `**Automation worker** (one active lead.created → add_tag automation; ${BURST} s inbound burst at ${CONNECTIONS} connections; ` +
      'backlog = unprocessed domain_events, sampled each second):',
    '',
    '| inbound req/s | events written | events/s written / processed during the burst | max backlog | backlog at burst end | drained after burst | peak RSS MB |',
    '|---:|---:|---:|---:|---:|---|---:|',
    `| ${rate(worker.inbound.requestsPerSec)} | ${worker.events.toLocaleString('en-US')} | ${rate(worker.writtenRate)} / ${rate(worker.processedRate)} | ${worker.maxBacklog.toLocaleString('en-US')} | ${worker.atEnd.toLocaleString('en-US')} | ${worker.drain} | ${worker.rss} |`,
    '',
    `Backlog each second: ${worker.samples.join(', ')}.`,
    '',
    `Server peak RSS over the whole run (VmHWM): **${hwm} MB**.`,
  ].join('\n');
  const header =
    '# Benchmarks\n\nProduced by `npm run bench` (`bench/run.mjs`; `-- --leads 1000000` for a million). Each section is ' +
    'replaced when the benchmark runs again with the same lead count and database.\n';
  recordSection(OUT, key, section, header);
  log(`wrote ${OUT}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
  },
);
