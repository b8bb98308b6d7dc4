#!/usr/bin/env node
// Time from `npm start` to the first answer of GET /api/v1/health (a fresh DATA_DIR unless one is given).
// Usage: node bench/start-time.mjs [project-dir] — prints seconds; stops the server (SIGTERM) afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const port = 30000 + Math.floor(Math.random() * 20000);
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'leadhub-start-')) };
const started = process.hrtime.bigint();
const child = spawn('npm', ['start'], { cwd: dir, env: { ...env, LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
let out = '';
child.stdout.on('data', (d) => (out += d));
for (;;) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    if (res.ok) break;
  } catch {
    /* not up yet */
  }
  if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
  await new Promise((r) => setTimeout(r, 50));
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const own = out.match(/"startup_seconds":([\d.]+),"startup_cpu_seconds":([\d.]+)/);
process.stdout.write(
  `npm start → first answer: ${seconds.toFixed(2)} s` +
    (own ? ` (server process: ${Number(own[1]).toFixed(2)} s from its start to listening, ${Number(own[2]).toFixed(2)} s CPU)` : '') +
    `; load average ${(await import('node:os')).loadavg()[0].toFixed(1)}\n`,
);
process.kill(-child.pid, 'SIGTERM');
