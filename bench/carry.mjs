// node bench/carry.mjs [--leads 1000000 --changes 100 --rounds 10 --embedded]
// What a kept total carried forward over writes saves (migration LeadListChanges): on a bulk-seeded workspace, each
// round makes --changes lead writes through the API (PATCH status, half of them also the name), then times the
// next GET of a common search term and of a filtered list (their totals carried over those changes), and the same
// GET with its kept total removed first (counted from scratch, as every GET after a write was before). Not npm test.
import { createRequire } from 'node:module';
import pg from 'pg';
import { seed } from './seed.mjs';
import { seedableDatabase, startServer, timedRequest } from './server.mjs';
import { arg, runMain } from './cli.mjs';

const N = Number(arg('leads', 1_000_000));
const CHANGES = Number(arg('changes', 100));
const ROUNDS = Number(arg('rounds', 10));
const EMBEDDED = process.argv.includes('--embedded') || !process.env.DATABASE_URL;
const log = (m) => process.stdout.write(`${m}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const db = await seedableDatabase(EMBEDDED);
  const c = new pg.Client({ connectionString: db.url });
  let server;
  try {
    const { runMigrations } = createRequire(import.meta.url)('../dist/src/database/data-source.js');
    await runMigrations(db.url);
    const s = await seed(db.url, N, () => undefined);
    server = await startServer({ ...db.serverEnv, LEADHUB_WORKER: '0' });
    await c.connect();
    const get = async (path) => {
      const r = await timedRequest(server.port, s.key, 'GET', path);
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      return r;
    };
    const lists = {
      [`search "${s.commonTerm}" (~${Math.round(s.commonShare)}%)`]: `/api/v1/leads?search=${s.commonTerm}`,
      'status=new&source=website': '/api/v1/leads?status=new&source=website',
    };
    const times = Object.fromEntries(Object.keys(lists).map((k) => [k, { carried: [], counted: [] }]));
    for (const path of Object.values(lists)) await get(path); // counted and kept
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < CHANGES; i++) {
        const id = s.minId + Math.floor(Math.random() * (s.maxId - s.minId + 1));
        const body = { status: ['new', 'contacted', 'lost'][i % 3], ...(i % 2 ? { last_name: 'Thompson' } : {}) };
        const r = await timedRequest(server.port, s.key, 'PATCH', `/api/v1/leads/${id}`, body);
        if (r.status !== 200) throw new Error(`PATCH: ${r.status}`);
      }
      for (const [name, path] of Object.entries(lists)) {
        const carried = await get(path);
        await c.query('DELETE FROM lead_list_totals WHERE workspace_id = $1', [s.workspaceId]);
        const counted = await get(path);
        if (carried.json.meta.total !== counted.json.meta.total)
          throw new Error(`${name}: carried ${carried.json.meta.total} ≠ counted ${counted.json.meta.total}`);
        times[name].carried.push(carried.ms);
        times[name].counted.push(counted.ms);
      }
    }
    log(
      `${N.toLocaleString('en-US')} leads on ${db.label}; ${ROUNDS} rounds of ${CHANGES} PATCHes, then each GET once ` +
        `with its total carried over them and once counted from scratch (medians):\n`,
    );
    log('| list | total carried: ms | total counted: ms |\n|---|---:|---:|');
    for (const [name, t] of Object.entries(times))
      log(`| ${name} | ${median(t.carried).toFixed(1)} | ${median(t.counted).toFixed(1)} |`);
  } finally {
    await c.end().catch(() => undefined);
    server?.child.kill('SIGTERM');
    if (server) await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
    await db.stop();
  }
}

runMain('bench/carry', main);
