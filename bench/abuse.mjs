// npm run bench:abuse [-- --seconds 20 --classes "random-key flood,slow connections" --grace 10 --record
//                        --attacker-address 127.0.0.2]
// One tenant attacks, another measures: a victim workspace makes steady requests (list, create, inbound, and a
// lead.created automation whose webhook goes to a local receiver) while an attacker workspace runs each class of
// issue 11 in turn. Prints the victim's p50/p99 and its automation→webhook delay per class next to the baseline.
// Only loopback: the server and the victim on 127.0.0.1, the attacker connecting from --attacker-address (default
// 127.0.0.2: all of 127.0.0.0/8 is loopback on Linux; on macOS add an alias first, or pass 127.0.0.1 to attack
// from the victim's own address). Bounded in time (--seconds per class, then at most --grace for late webhooks and
// 60 s for the worker to drain). --record writes the table into docs/reliability.md. Not part of npm test.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RATES, Victim } from './abuse-victim.mjs';
import { database, startServer, tenant } from './server.mjs';
import { arg, runMain, recordSection } from './cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLASSES = [
  'huge-key bodies',
  'automation storm',
  'stalled webhook receivers',
  'random-key flood',
  'slow connections',
];
const SECONDS = Number(arg('seconds', 20));
const GRACE = Number(arg('grace', 10));
const ATTACKER_ADDRESS = arg('attacker-address', '127.0.0.2');
const chosen = arg('classes', CLASSES.join(','))
  .split(',')
  .map((c) => c.trim());
const log = (m) => process.stdout.write(`${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function attack(cls, config) {
  const child = fork(join(root, 'bench/abuse-attacker.mjs'));
  const next = () => new Promise((r) => child.once('message', r));
  child.send({ type: 'start', config: { ...config, cls } });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`${cls}: ${ready.error}`);
  return async () => {
    child.send({ type: 'stop' });
    const done = await next();
    child.kill();
    return done.counts;
  };
}

/**
 * Waits (≤ 60 s) until the worker has no backlog, so one class's leftovers do not count against the next; a
 * backlog still there after that is shown as "> 60 (N left)": the classes after it inherit it.
 */
async function drain(port) {
  const started = Date.now();
  let left = NaN;
  while (Date.now() - started < 60_000) {
    const body = await (
      await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).catch(() => undefined)
    )
      ?.json()
      .catch(() => undefined);
    left = body?.backlog?.events ?? NaN;
    if (left === 0) return fmt((Date.now() - started) / 1000, 1);
    await sleep(500);
  }
  return `> 60 (${fmt(left)} events left)`;
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');

function table(rows, base) {
  const lines = [
    '| class | victim requests | non-2xx | p50 ms | p99 ms | p99 × baseline | webhook delay p50 / max s | webhooks lost | attacker requests | drain s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ratio = r.name === 'baseline' ? '' : `${fmt(r.p99 / base.p99, 1)}×`;
    const slow = r.attacker?.slow ? ` (${r.attacker.slow.opened} sockets, ${r.attacker.slow.cut} cut)` : '';
    lines.push(
      `| ${r.name} | ${r.requests} | ${r.failed} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${ratio} | ${fmt(r.delayP50, 2)} / ${fmt(r.delayMax, 2)} | ${r.lost} of ${r.probes} | ${r.attacker ? r.attacker.requests + r.attacker.errors : ''}${slow} | ${r.drain} |`,
    );
  }
  return lines.join('\n');
}

function verdict(rows, base) {
  return rows
    .filter((r) => r.name !== 'baseline')
    .map((r) => {
      const ok = r.p99 <= 3 * base.p99 && r.delayMax < 2 && r.lost === 0;
      return `- ${r.name}: ${ok ? 'meets' : '**misses**'} the goal (p99 ≤ 3× baseline, automation delay < 2 s)`;
    })
    .join('\n');
}

async function main() {
  if (!existsSync(join(root, 'dist/src/main.js')))
    throw new Error('run `nest build` first (npm run bench:abuse does)');
  const unknown = chosen.filter((c) => !CLASSES.includes(c));
  if (unknown.length) throw new Error(`unknown class ${unknown.join(', ')}; classes: ${CLASSES.join(', ')}`);
  const db = await database('abuse');
  let server;
  // Interrupted (Ctrl-C, timeout): the server goes too, and stops its embedded cluster.
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      server?.child.kill('SIGTERM');
      process.exit(130);
    });
  try {
    server = await startServer(db.env);
    log(`LeadHub abuse benchmark on ${db.label}, ${SECONDS} s per class; server log: ${server.out}`);
    const victim = new Victim(server.port, await tenant(db.env, 'victim'), GRACE);
    const attacker = {
      port: server.port,
      key: await tenant(db.env, 'attacker'),
      slug: 'attacker',
      address: ATTACKER_ADDRESS,
    };
    const hook = await victim.receiver();
    const probe = await victim.request('POST', '/api/v1/automations', {
      name: 'probe webhook',
      trigger: {
        type: 'lead.created',
        conditions: [{ field: 'source', operator: 'equals', value: 'bench-probe' }],
      },
      actions: [{ type: 'send_webhook', url: hook }],
    });
    if (probe.status !== 201)
      throw new Error(`victim automation not created (${probe.status}): ${JSON.stringify(probe.json)}`);
    victim.start(); // warm-up, not reported
    await sleep(3000);
    await victim.stop();

    const rows = [];
    for (const name of ['baseline', ...chosen]) {
      const stopAttack = name === 'baseline' ? undefined : await attack(name, attacker);
      victim.start();
      await sleep(SECONDS * 1000);
      await victim.halt();
      const counts = await stopAttack?.();
      const r = { name, ...(await victim.stop()), attacker: counts };
      r.drain = await drain(server.port);
      rows.push(r);
      log(
        `${name.padEnd(28)} p50 ${fmt(r.p50)} ms  p99 ${fmt(r.p99)} ms  non-2xx ${r.failed}  webhook delay p50 ${fmt(r.delayP50, 2)} s max ${fmt(r.delayMax, 2)} s  lost ${r.lost}/${r.probes}`,
      );
    }
    victim.hook.close();
    const base = rows[0];
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const section =
      `Run ${when} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${db.label}, ` +
      `${SECONDS} s per class, attacker from ${ATTACKER_ADDRESS}. Victim: ${Object.entries(RATES)
        .map(([k, v]) => `${k} ${v}/s`)
        .join(', ')} (open loop).\n\n` +
      `${table(rows, base)}\n\n${verdict(rows, base)}\n`;
    log(`\n${section}`);
    if (process.argv.includes('--record')) {
      recordSection(join(root, 'docs/reliability.md'), 'abuse', section);
      log('recorded in docs/reliability.md');
    }
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
    }
    await db.stop();
  }
}

runMain('bench:abuse', main);
