import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { livePostmaster } from '../../src/database/embedded';
import { firstKey, PROJECT_ROOT, ServerProcess, tempDataDir } from '../support/server-process';

jest.setTimeout(180_000);

describe('first run: banner, logs, configuration errors, graceful shutdown', () => {
  const dataDir = tempDataDir();

  it('prints the boxed first-start banner last, with the served URL; JSON log lines (ISO time, error codes) when piped', async () => {
    const s = await ServerProcess.start({ DATA_DIR: dataDir });
    try {
      await s.waitFor(/└─+┘/, 10_000);
      const key = firstKey(s.output)!;
      const banner = s.output.slice(s.output.lastIndexOf('┌'));
      expect(s.output.slice(s.output.lastIndexOf('┘') + 1).trim()).toBe(''); // nothing after it
      expect(s.output.indexOf('listening on')).toBeLessThan(s.output.lastIndexOf('┌'));
      expect(banner).toContain(key);
      expect(banner).toContain(`http://127.0.0.1:${s.port}/docs`);
      expect(banner).toContain(
        `curl -H "Authorization: Bearer ${key}" http://127.0.0.1:${s.port}/api/v1/leads`,
      );

      expect((await fetch(s.url('/api/v1/leads'))).status).toBe(401);
      await s.waitFor(/"code":"UNAUTHORIZED"/, 5000);
      const line = JSON.parse(s.output.split('\n').find((l) => l.includes('"code":"UNAUTHORIZED"'))!);
      expect(line).toMatchObject({
        level: 'warn',
        code: 'UNAUTHORIZED',
        msg: expect.stringMatching(/^GET \/api\/v1\/leads 401 UNAUTHORIZED \d+ms$/),
      });
      expect(line.msg).toBeDefined();
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(JSON.stringify(line)).not.toContain('authorization');
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('LOG_FORMAT=pretty prints readable lines instead of JSON', async () => {
    const s = await ServerProcess.start({ DATA_DIR: dataDir, LOG_FORMAT: 'pretty' });
    try {
      await fetch(s.url('/api/v1/tags'));
      await s.waitFor(/GET \/api\/v1\/tags 401 UNAUTHORIZED/, 5000);
      expect(s.output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*LeadHub API listening on/m);
      expect(s.output).not.toMatch(/^\{"level"/m);
    } finally {
      await s.stop();
    }
  });

  it('a bad value stops the start with a message naming the variable (and starts nothing)', () => {
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'main.js')], {
      env: { PATH: process.env.PATH, DATA_DIR: tempDataDir(), PORT: 'eighty', LOG_FORMAT: 'xml' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Invalid configuration:\n {2}PORT: .*\n {2}LOG_FORMAT: /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('SIGTERM: stops accepting, finishes the request in flight, stops the cluster, exits 0', async () => {
    const key = 'lh_' + 'S'.repeat(40);
    const s = await ServerProcess.start({ DATA_DIR: dataDir, LEADHUB_BOOTSTRAP_KEY: key });
    const body = JSON.stringify({ name: 'in-flight' });
    // A request whose body is still arriving when the signal comes.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(s.url('/api/v1/tags'), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${key}`,
          'Content-Type': 'application/json',
          'Content-Length': body.length,
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => void s.proc.kill('SIGTERM'), 300);
      setTimeout(() => req.end(body.slice(5)), 1500);
    });
    await s.waitFor(/SIGTERM: shutting down/, 5000);
    await expect(fetch(s.url('/api/v1/health'))).rejects.toThrow(); // no new connections
    const res = await answer;
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text).data.name).toBe('in-flight');
    expect(await s.exited()).toBe(0);
    expect(livePostmaster(join(dataDir, 'pg'))).toBeUndefined();
  });

  it('SIGTERM with a request that never finishes: exits within SHUTDOWN_TIMEOUT_MS, cluster stopped', async () => {
    const key = 'lh_' + 'S'.repeat(40);
    const s = await ServerProcess.start({
      DATA_DIR: dataDir,
      LEADHUB_BOOTSTRAP_KEY: key,
      SHUTDOWN_TIMEOUT_MS: '1500',
    });
    const req = request(s.url('/api/v1/tags'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': 100 },
    });
    req.on('error', () => undefined);
    req.write('{"na');
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    expect(await s.stop()).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(s.output).toContain('shutdown took too long');
    expect(livePostmaster(join(dataDir, 'pg'))).toBeUndefined();
    req.destroy();
  });
});
