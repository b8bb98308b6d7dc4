import { embeddedClusterDir, livePostmaster } from '../../src/database/embedded';
import { firstKey, ServerProcess, tempDataDir } from '../support/server-process';

jest.setTimeout(120_000);

/** The server watches its embedded PostgreSQL and starts it again when it stops, without being restarted itself. */
describe('a supervised embedded cluster', () => {
  const dataDir = tempDataDir();
  let s: ServerProcess;
  let key: string;

  beforeAll(async () => {
    s = await ServerProcess.start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    key = firstKey(s.output)!;
  });
  afterAll(async () => {
    await s.stop();
  });

  const get = async (path: string) => {
    try {
      return (await fetch(s.url(path), { headers: { Authorization: `Bearer ${key}` } })).status;
    } catch (err) {
      // The server process itself failed: say how, with what it printed last.
      const exit = `exit code ${s.proc.exitCode}, signal ${s.proc.signalCode}`;
      throw new Error(`${(err as Error).message} (${exit}); server output:\n${s.output.slice(-3000)}`, {
        cause: err,
      });
    }
  };

  it('kill -9 of the postmaster → 503 meanwhile, then 200 on the same data; the server is the same process', async () => {
    const created = await fetch(s.url('/api/v1/tags'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'survives' }),
    });
    expect(created.status).toBe(201);
    const pgDir = embeddedClusterDir(dataDir);
    const before = livePostmaster(pgDir)!;
    process.kill(before.pid, 'SIGKILL');

    const seen: number[] = [];
    let readyDown = false;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await get('/api/v1/tags');
      seen.push(status);
      if (status === 503) readyDown ||= (await get('/api/v1/health/ready')) === 503;
      if (status === 200 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen[0]).toBe(503);
    expect(seen.at(-1)).toBe(200);
    expect(seen.every((st) => st === 200 || st === 503)).toBe(true); // never a 500
    expect(readyDown).toBe(true);
    const after = livePostmaster(pgDir)!;
    expect(after.pid).not.toBe(before.pid);
    expect(after.port).toBe(before.port); // same port: the pool reconnects to it
    expect(s.proc.exitCode).toBeNull();
    expect(s.output).toMatch(/stopped unexpectedly: starting it again/);

    const tags = await fetch(s.url('/api/v1/tags'), { headers: { Authorization: `Bearer ${key}` } });
    expect(((await tags.json()) as { data: { name: string }[] }).data.map((t) => t.name)).toEqual([
      'survives',
    ]);
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = await get('/api/v1/health/ready');
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
  });

  it('a clean stop after a restart stops the restarted cluster too', async () => {
    expect(await s.stop()).toBe(0);
    expect(livePostmaster(embeddedClusterDir(dataDir))).toBeUndefined();
  });
});
