import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/db';
import { pollReady } from '../support/readiness';
import { TcpProxy } from '../support/tcp-proxy';
import { TestApp } from '../support/test-app';

describe('database outages', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let drop: () => Promise<void>;
  let key: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const proxied = await TcpProxy.before(db.url, 5432);
    proxy = proxied.proxy;
    // Short enough to bound the blackhole below, long enough for a loaded CI machine to hand out a connection.
    t = await TestApp.start({ databaseUrl: proxied.url, queryTimeoutMs: 3000 });
    key = await (await t.workspace('outage')).key(['*']);
    expect((await t.get('/api/v1/tags', { key })).status).toBe(200); // the key is now cached
  });
  afterAll(async () => {
    await t.close();
    await proxy.close();
    await drop();
  });

  it('answers 503 SERVICE_UNAVAILABLE while the database is down, and recovers by itself', async () => {
    proxy.refuse();
    const down = await t.get('/api/v1/tags', { key });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'error',
      code: 'SERVICE_UNAVAILABLE',
      message: 'The service is temporarily unavailable. Try again shortly.',
    });
    expect((await t.get('/api/v1/health/ready')).status).toBe(503);
    expect((await t.get('/api/v1/health')).status).toBe(200);
    const write = await t.post('/api/v1/tags', { name: 'during-outage' }, { key });
    expect(write.status).toBe(503);

    proxy.forward();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await t.get('/api/v1/tags', { key })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    expect((await pollReady(t, (b) => b.status === 'ok')).status).toBe(200); // its result is cached ~1 s
    expect((await t.sql(`SELECT 1 FROM tags WHERE name = 'during-outage'`)).length).toBe(0);
  });

  it('answers 503 within the query timeout when the database stops answering (blackhole)', async () => {
    proxy.blackhole();
    const started = Date.now();
    const res = await t.get('/api/v1/tags', { key });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(elapsed).toBeLessThan(10_000); // bounded by connection and query timeouts, never a hang
    proxy.forward();
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await t.get('/api/v1/tags', { key })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });

  it('a request with an uncached key during an outage is a 503, not a 401', async () => {
    const fresh = await (await t.workspace('outage-2')).key(['*']);
    proxy.refuse();
    const res = await t.get('/api/v1/tags', { key: fresh });
    expect(res.status).toBe(503);
    proxy.forward();
  });

  // A connection can die while nothing listens to it: pg then emits `error` with no listener, which used to stop
  // the process (a postmaster killed while the automation worker held a connection between two queries).
  it('a connection that dies while no query uses it does not stop the server', async () => {
    const pool = (t.app.get(DataSource).driver as unknown as { master: Pool }).master;
    const held = await pool.connect(); // checked out: the pool no longer listens to it, nobody else does
    const [{ pid }] = (await held.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[];
    await t.sql(`SELECT pg_terminate_backend(${Number(pid)})`);
    await new Promise((r) => setTimeout(r, 300)); // the FATAL message arrives while the client is idle
    await expect(held.query('SELECT 1')).rejects.toThrow(); // the connection is gone…
    held.release(true);
    expect((await t.get('/api/v1/tags', { key })).status).toBe(200); // …and the server, still here, answers
  });
});
