// Round trips per lead on the intake paths, and their throughput A/B (issue 17 goal 5).
//   node bench/intake-roundtrips.mjs count [build-dir]            statements per create / inbound (new, duplicate)
//   node bench/intake-roundtrips.mjs load <build-dir>... [--seconds N] [--rounds R]   req/s, builds interleaved
//   node bench/intake-roundtrips.mjs cpu <build-dir>... [--amount N] [--rounds R]   CPU ms per request (server process
//     + its PostgreSQL backends, from /proc: PostgreSQL at DATABASE_URL on this machine): steadier than req/s when
//     the machine is busy
// A fresh database per build (DATABASE_URL's server, else embedded); dropped after.
import autocannon from 'autocannon';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMs, database, startServer, tenant, useBuild } from './server.mjs';

// Statements of the background worker and webhook poller (own connections, on timers): not the request's.
const BACKGROUND =
  /AS destination|FOR UPDATE SKIP LOCKED|FROM automations|webhook_deliveries|pg_try_advisory|LISTEN/;
const here = dirname(fileURLToPath(import.meta.url));
const [mode = 'count', ...rest] = process.argv.slice(2);
const opt = (name, def) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? Number(rest.splice(i, 2)[1]) : def;
};
const seconds = opt('seconds', 5);
const rounds = opt('rounds', 3);
const amount = opt('amount', 1500);
const builds = rest.length ? rest : [join(here, '..')];

async function boot(build, extraEnv = {}) {
  useBuild(build);
  const db = await database('intake');
  const key = await tenant(db.env, 'bench');
  const server = await startServer({ ...db.env, ...extraEnv });
  return {
    port: server.port,
    key,
    pid: server.child.pid,
    databaseUrl: db.env.DATABASE_URL,
    stop: async () => {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
      await db.stop();
    },
  };
}

const post = (s, path, body) =>
  globalThis
    .fetch(`http://127.0.0.1:${s.port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    .then(async (r) => ({ status: r.status, body: await r.json() }));

if (mode === 'count') {
  const log = join(tmpdir(), `intake-queries-${process.pid}.log`);
  writeFileSync(log, '');
  const s = await boot(builds[0], {
    QUERY_LOG: log,
    NODE_OPTIONS: `--require ${join(here, 'intake-count-queries.cjs')}`,
  });
  const cases = [
    [
      'POST /api/v1/leads (tags: vip)',
      '/api/v1/leads',
      { first_name: 'Bench', email: 'b@example.com', tags: ['vip'] },
    ],
    [
      'POST /api/v1/leads (tags: vip)',
      '/api/v1/leads',
      { first_name: 'Bench', email: 'b@example.com', tags: ['vip'] },
    ],
    [
      'inbound, new lead',
      '/api/inbound/leads?tenant=bench',
      { email: 'i1@bench.test', first_name: 'In', source: 'zapier', tags: ['newsletter'] },
    ],
    [
      'inbound, new lead',
      '/api/inbound/leads?tenant=bench',
      { email: 'i2@bench.test', first_name: 'In', source: 'zapier', tags: ['newsletter'] },
    ],
    [
      'inbound, duplicate (fills company)',
      '/api/inbound/leads?tenant=bench',
      { email: 'I2@bench.test', company: 'Acme', tags: ['newsletter'] },
    ],
    [
      'inbound, duplicate (no change)',
      '/api/inbound/leads?tenant=bench',
      { email: 'i2@bench.test', tags: ['newsletter'] },
    ],
  ];
  await new Promise((r) => setTimeout(r, 1500)); // let the worker's start-up queries pass
  for (const [name, path, body] of cases) {
    const before = readFileSync(log, 'utf8').split('\n').length;
    const res = await post(s, path, body);
    await new Promise((r) => setTimeout(r, 300));
    const lines = readFileSync(log, 'utf8')
      .split('\n')
      .slice(before - 1, -1);
    // The worker polls the outbox on its own connection; only the request's statements count.
    const all = lines.filter((l) => !BACKGROUND.test(l));
    // Up to the request's COMMIT: the worker wakes up on it and its statements follow.
    const end = all.findIndex((l) => /^(COMMIT|ROLLBACK)$/.test(l));
    const mine = end < 0 ? all : all.slice(0, end + 1);
    console.log(`\n${name}: HTTP ${res.status}, ${mine.length} statements`);
    for (const l of mine) console.log(`  ${l}`);
  }
  await s.stop();
  rmSync(log, { force: true });
} else {
  const cpuMode = mode === 'cpu';
  const servers = [];
  for (const b of builds) servers.push({ build: b, ...(await boot(b)) });
  const scen = {
    create: () => ({
      path: '/api/v1/leads',
      body: JSON.stringify({ first_name: 'Bench', email: 'bench@example.com', tags: ['vip'] }),
    }),
    inbound: (s) => {
      let n = 0;
      return {
        path: '/api/inbound/leads?tenant=bench',
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({
                email: `in-${s.port}-${Date.now()}-${n++}@bench.test`,
                first_name: 'Inbound',
                source: 'zapier',
                tags: ['newsletter'],
              }),
            }),
          },
        ],
      };
    },
  };
  const totals = {};
  for (const s of servers)
    // warm-up
    await autocannon({
      url: `http://127.0.0.1:${s.port}/api/v1/leads`,
      connections: 8,
      duration: 2,
      headers: { authorization: `Bearer ${s.key}` },
    });
  for (let r = 0; r < rounds; r++)
    for (const [name, make] of Object.entries(scen))
      for (const s of servers) {
        const sc = make(s);
        const before = cpuMode ? await cpu(s) : undefined;
        const res = await autocannon({
          url: `http://127.0.0.1:${s.port}${sc.path}`,
          method: 'POST',
          connections: cpuMode ? 8 : 32,
          ...(cpuMode ? { amount } : { duration: seconds }),
          headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
          body: sc.body,
          requests: sc.requests,
        });
        const k = `${name} ${s.build}`;
        if (cpuMode) {
          const after = await cpu(s);
          const n = res.requests.total;
          const node = (after.node - before.node) / n;
          const db = (after.db - before.db) / n;
          (totals[k] ??= []).push(node + db);
          console.log(
            `round ${r + 1} ${k}: ${n} requests, CPU per request: server ${node.toFixed(2)} ms + PostgreSQL ${db.toFixed(2)} ms = ${(node + db).toFixed(2)} ms, non-2xx ${res.non2xx}`,
          );
          continue;
        }
        (totals[k] ??= []).push(res.requests.average);
        console.log(
          `round ${r + 1} ${k}: ${res.requests.average.toFixed(0)} req/s, p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms, non-2xx ${res.non2xx}`,
        );
      }
  const [digits, unit] = cpuMode ? [2, 'CPU ms per request'] : [0, 'req/s'];
  for (const [k, v] of Object.entries(totals))
    console.log(
      `${k}: mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(digits)} ${unit} (${v.map((x) => x.toFixed(digits)).join(', ')})`,
    );
  for (const s of servers) await s.stop();
}

/** CPU time (ms) used so far by the server process and by the PostgreSQL backends connected to its database. */
async function cpu(s) {
  const used = await cpuMs(s.databaseUrl, [s.pid]);
  return { node: used.node, db: [...used.db.values()].reduce((sum, ms) => sum + ms, 0) };
}
