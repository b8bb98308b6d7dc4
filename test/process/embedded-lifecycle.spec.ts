import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { embeddedClusterDir, livePostmaster, startEmbeddedPostgres } from '../../src/database/embedded';
import { socketDir } from '../../src/database/embedded-postmaster';
import { firstKey, freePort, ServerProcess, tempDataDir } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');

jest.setTimeout(120_000);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer().listen(port, '127.0.0.1', () => resolve(srv));
  });
}

/** The embedded cluster is never left running behind the server, and keeps its port across restarts. */
describe('the embedded cluster around the server process', () => {
  const dataDir = tempDataDir(); // one installation throughout: only the first start initialises a cluster
  const pgDir = embeddedClusterDir(dataDir);
  let remembered: number;

  it('a start that fails (the HTTP port is taken) leaves no cluster running', async () => {
    const taken = await listen();
    const port = (taken.address() as { port: number }).port;
    try {
      const proc = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: '',
          REDIS_URL: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((r) => proc.once('exit', r));
      expect(code).toBe(1);
      expect(output).toMatch(/embedded PostgreSQL started/); // the cluster had been started…
      expect(output).toMatch(/EADDRINUSE/);
      expect(livePostmaster(pgDir)).toBeUndefined(); // …and is stopped again
      remembered = Number(readFileSync(join(dataDir, 'pg-port'), 'utf8'));
    } finally {
      taken.close();
    }
  });

  it('keeps its port across restarts, and picks (and remembers) another when that one is taken', async () => {
    const portOf = async () => {
      const s = await ServerProcess.start({ DATA_DIR: dataDir });
      try {
        return livePostmaster(pgDir)!.port;
      } finally {
        expect(await s.stop()).toBe(0);
      }
    };
    expect(await portOf()).toBe(remembered); // the port of the failed start above

    const squatter = await listen(remembered);
    try {
      const moved = await portOf();
      expect(moved).not.toBe(remembered);
      expect(Number(readFileSync(join(dataDir, 'pg-port'), 'utf8'))).toBe(moved); // used next time
    } finally {
      squatter.close();
    }
  });

  it('Ctrl-C on `npm run start:prod | tee log` (SIGINT to the whole process group) stops the cluster', async () => {
    const port = await freePort();
    const group = spawn('sh', ['-c', `npm run start:prod 2>&1 | tee "${join(dataDir, 'server.out')}"`], {
      cwd: ROOT,
      detached: true, // its own process group, as a terminal's foreground job
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: '',
        REDIS_URL: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    group.stdout.on('data', (d: Buffer) => (output += d.toString()));
    group.stderr.on('data', (d: Buffer) => (output += d.toString()));
    expect(await until(() => /listening on/.test(output), 60_000)).toBe(true);
    expect(livePostmaster(pgDir)).toBeDefined();

    process.kill(-group.pid!, 'SIGINT');
    expect(await until(() => !livePostmaster(pgDir), 30_000)).toBe(true);
    const answered = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
      () => true,
      () => false,
    );
    expect(answered).toBe(false); // the server is gone too
  });

  it("the server's own connections use the postmaster's Unix socket; tools get TCP on 127.0.0.1", async () => {
    const server = await ServerProcess.start({ DATA_DIR: dataDir });
    const cluster = await startEmbeddedPostgres({ dataDir }); // the server's, adopted: not stopped by this test
    try {
      const address = async (url: string) => {
        const c = new Client({ connectionString: url });
        await c.connect();
        try {
          return (await c.query<{ a: string | null }>('SELECT inet_server_addr()::text AS a')).rows[0].a;
        } finally {
          await c.end();
        }
      };
      expect(cluster.localUrl).not.toBe(cluster.url);
      expect(await address(cluster.localUrl)).toBeNull(); // a Unix socket has no address
      expect(await address(cluster.url)).toBe('127.0.0.1/32');
      const c = new Client({ connectionString: cluster.url });
      await c.connect();
      const { rows } = await c.query<{ socket: number; tcp: number }>(
        `SELECT count(*) FILTER (WHERE client_addr IS NULL)::int AS socket,
                count(*) FILTER (WHERE client_addr IS NOT NULL)::int AS tcp
           FROM pg_stat_activity
          WHERE datname = 'leadhub' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      await c.end();
      expect(rows[0]).toEqual({ socket: expect.any(Number), tcp: 0 }); // the server's pool
      expect(rows[0].socket).toBeGreaterThan(0);
    } finally {
      await cluster.stop();
      await server.stop();
    }
    // A folder whose socket path would not fit sun_path, or that pg_ctl's -o would need quoted: TCP only.
    expect(socketDir(`/tmp/${'x'.repeat(90)}`, 54321)).toBeUndefined();
    expect(socketDir('/tmp/with space/pg', 54321)).toBeUndefined();
    expect(socketDir(pgDir, 54321)).toBe(pgDir);
  });

  it('a database from before the builtin C.UTF-8 locale keeps working as it did, with a note at start', async () => {
    // What an earlier version created: the database with the C locale of libc (ASCII-only case folding).
    const cluster = await startEmbeddedPostgres({ dataDir });
    const admin = new Client({ connectionString: cluster.url.replace(/\/leadhub$/, '/postgres') });
    await admin.connect();
    await admin.query('DROP DATABASE leadhub WITH (FORCE)');
    await admin.query(`CREATE DATABASE leadhub LOCALE_PROVIDER libc LOCALE 'C' TEMPLATE template0`);
    await admin.end();
    await cluster.stop();

    const s = await ServerProcess.start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      expect(s.output).toMatch(/created with the C locale, so case-insensitive matching is ASCII-only/);
      const key = firstKey(s.output)!;
      const tag = (name: string) =>
        fetch(s.url('/api/v1/tags'), {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name }),
        });
      expect((await tag('École')).status).toBe(201);
      expect((await tag('école')).status).toBe(201); // as before: not converted behind the operator's back
      expect((await tag('ecole')).status).toBe(201);
      expect((await tag('ECOLE')).status).not.toBe(201); // ASCII case-insensitivity as ever
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});
