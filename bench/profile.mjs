// npm run bench:profile [-- --leads 100000 --duration 15 --connections 32 --embedded]
// Where the server's CPU goes per request (issue #17, goal 4): the built server runs under `node --cpu-prof` on a
// bulk-seeded workspace while one scenario loads it (list, filtered list, show, create), then its profile's self
// time is summed by who spent it (Nest, Fastify, TypeORM, pg, validation, auth, logging, our code by folder, GC…).
// Prints a Markdown table per scenario and the top functions; the fractions stay meaningful on a busy machine,
// the ms per request less so. Not part of npm test.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seed } from './seed.mjs';
import { seedableDatabase, startServer } from './server.mjs';
import { arg, runMain } from './cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(arg('leads', 100_000));
const DURATION = Number(arg('duration', 15));
const CONNECTIONS = Number(arg('connections', 32));
const EMBEDDED = process.argv.includes('--embedded') || !process.env.DATABASE_URL;
const log = (m) => process.stdout.write(`${m}\n`);

/** Who spent a profile node's self time, from its function's script URL and name. */
function owner(frame) {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/dist\/src\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (ours) return `src/${ours[1]}${ours[2] && !ours[2].endsWith('.js') ? `/${ours[2]}` : ''}`;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time (ms) by owner and by function, from a .cpuprofile (samples × time deltas), counting only the samples
 * within [from, to] ms after the profile began (the measured load: not the start-up, warm-up or shutdown).
 */
function summarise(profile, from, to) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    at += dt;
    if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + dt);
  });
  const owners = new Map();
  const functions = new Map();
  for (const [id, ms] of self) {
    const f = byId.get(id).callFrame;
    const o = owner(f);
    owners.set(o, (owners.get(o) ?? 0) + ms);
    const name = `${f.functionName || '(anonymous)'} (${o}${f.url && !f.url.startsWith('node:') ? `: ${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''})`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  return { owners, functions };
}

function load(scenario) {
  return new Promise((resolve) => {
    const loader = fork(join(root, 'bench/load.mjs'));
    loader.once('message', (m) => {
      loader.kill();
      resolve(m);
    });
    loader.send({ duration: DURATION, connections: CONNECTIONS, ...scenario });
  });
}

async function profileScenario(db, key, name, scenario) {
  const dir = mkdtempSync(join(tmpdir(), 'leadhub-profile-'));
  const spawned = Date.now();
  const server = await startServer(db.serverEnv, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    const api = { port: server.port, key };
    await load({ ...api, ...scenario, duration: 3 }); // warm-up: JIT, caches, pool
    const from = Date.now() - spawned;
    const r = await load({ ...api, ...scenario });
    const to = Date.now() - spawned;
    server.child.kill('SIGTERM');
    await new Promise((res) => (server.child.exitCode !== null ? res() : server.child.once('exit', res)));
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no CPU profile written for ${name}`);
    const { owners, functions } = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')), from, to);
    if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
    return { name, r, owners, functions, requests: r.total };
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function report({ name, r, owners, functions, requests }) {
  const busy = [...owners].filter(([o]) => o !== 'idle').reduce((s, [, ms]) => s + ms, 0);
  const rows = [...owners]
    .filter(([o]) => o !== 'idle')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 16)
    .map(([o, ms]) => `| ${o} | ${((100 * ms) / busy).toFixed(1)}% | ${(ms / requests).toFixed(3)} |`);
  const top = [...functions]
    .filter(([f]) => !f.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([f, ms]) => `| ${f.replace(/\|/g, '\\|')} | ${((100 * ms) / busy).toFixed(1)}% |`);
  return [
    `### ${name}: ${Math.round(r.requestsPerSec)} req/s at ${CONNECTIONS} connections; server CPU ${(busy / requests).toFixed(2)} ms per request `,
    '',
    '| spent in | share of server CPU | ms per request |',
    '|---|---:|---:|',
    ...rows,
    '',
    '| top functions (self time) | share |',
    '|---|---:|',
    ...top,
    '',
  ].join('\n');
}

async function main() {
  const db = await seedableDatabase(EMBEDDED);
  try {
    const { runMigrations } = createRequire(import.meta.url)('../dist/src/database/data-source.js');
    await runMigrations(db.url);
    const s = await seed(db.url, N, () => undefined);
    log(`# Server CPU profile: ${N.toLocaleString('en-US')} leads on ${db.label}, ${DURATION} s per scenario\n`);
    const scenarios = [
      ['list (default page)', { path: '/api/v1/leads' }],
      ['list status+source', { path: '/api/v1/leads?status=new&source=website' }],
      ['show', { kind: 'show', path: '/api/v1/leads', minId: s.minId, maxId: s.maxId }],
      ['inbound (new leads)', { kind: 'inbound', method: 'POST', path: '/api/inbound/leads?tenant=bench' }],
    ];
    const only = arg('only');
    for (const [name, scenario] of scenarios)
      if (!only || name.startsWith(only)) log(report(await profileScenario(db, s.key, name, scenario)));
  } finally {
    await db.stop();
  }
}

runMain('bench:profile', main);
