// node bench/engine-throughput.mjs [--leads 3000] [--workers 1] [--build DIR]
// How fast the automation worker drains a backlog: writes --leads leads (two tags each; one active
// `lead.created → add_tag` automation, so a quarter of the events has a listener) with the worker off, then
// starts --workers servers with the worker on and times the drain through /api/v1/health/ready. --build runs
// another built checkout (its dist/ and bin/) to compare. With PostgreSQL at DATABASE_URL on this machine it
// also prints the CPU time the drain cost (the servers' processes + their database's backends, from /proc), per
// event: steadier than events/s on a busy machine. A measurement for the record, not a test.
import { cpuMs, database, readiness, startServer, tenant, useBuild } from './server.mjs';
import { arg, runMain } from './cli.mjs';

const LEADS = Number(arg('leads', 3000));
const WORKERS = Number(arg('workers', 1));
if (arg('build')) useBuild(arg('build'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stop = async (s) => {
  s.child.kill('SIGTERM');
  await new Promise((r) => (s.child.exitCode !== null ? r() : s.child.once('exit', r)));
};

async function call(port, key, method, path, body) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** CPU ms used so far by these processes and by the database's backends (undefined: embedded). */
const cpu = async (env, pids) => (env.DATABASE_URL ? cpuMs(env.DATABASE_URL, pids) : undefined);

async function main() {
  const db = await database('throughput');
  const servers = [];
  try {
    const writer = await startServer({ ...db.env, LEADHUB_WORKER: '0' });
    servers.push(writer);
    const key = await tenant(db.env, 'throughput');
    await call(writer.port, key, 'POST', '/api/v1/automations', {
      name: 'tag new leads',
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'seen' }],
    });
    let n = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (n < LEADS) {
          const i = n++;
          await call(writer.port, key, 'POST', '/api/v1/leads', {
            first_name: `Backlog ${i}`,
            email: `backlog-${i}@bench.test`,
            tags: ['one', `two-${i % 10}`],
          });
        }
      }),
    );
    const backlog = (await readiness(writer.port)).backlog.events;
    await stop(servers.pop());
    const started = Date.now();
    servers.push(...(await Promise.all(Array.from({ length: WORKERS }, () => startServer(db.env)))));
    // Timed from when all workers are up: what one drained while another was starting is left out.
    const booted = Date.now();
    const pids = servers.map((s) => s.child.pid);
    const cpuAtStart = await cpu(db.env, pids);
    const from = (await readiness(servers[0].port))?.backlog?.events ?? backlog;
    let left = from;
    while (left > 0) {
      await sleep(100);
      left = (await readiness(servers[0].port))?.backlog?.events ?? left;
    }
    const s = (Date.now() - booted) / 1000;
    const cpuAtEnd = await cpu(db.env, pids);
    let cost = '';
    if (cpuAtStart && cpuAtEnd) {
      const node = cpuAtEnd.node - cpuAtStart.node;
      let dbMs = 0;
      for (const [pid, ms] of cpuAtEnd.db) dbMs += ms - (cpuAtStart.db.get(pid) ?? 0);
      cost = `; CPU per event: server ${(node / from).toFixed(2)} ms + PostgreSQL ${(dbMs / from).toFixed(2)} ms`;
    }
    process.stdout.write(
      `${db.label}: ${backlog} events (${LEADS} leads); ${WORKERS} worker(s) up after ${((booted - started) / 1000).toFixed(1)} s ` +
        `with ${from} left, drained in ${s.toFixed(1)} s: ${(from / s).toFixed(0)} events/s${cost}\n`,
    );
  } finally {
    for (const s of servers) await stop(s);
    await db.stop();
  }
}

runMain('engine-throughput', main);
