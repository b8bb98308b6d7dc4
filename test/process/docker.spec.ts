import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, PROJECT_ROOT, START_NODE_ARGS, tempDataDir } from '../support/server-process';

jest.setTimeout(120_000);

const dockerfile = readFileSync(join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
const compose = readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');

/** The runtime stage's ENV line as variables. */
function imageEnv(): Record<string, string> {
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const line = runtime.match(/^ENV (.+)$/m)![1];
  return Object.fromEntries(line.split(/\s+/).map((kv) => kv.split('=') as [string, string]));
}

describe('Docker files (no Docker engine here: what can be checked without one)', () => {
  it("the image's start command, run with the image's environment, serves the API and stops cleanly", async () => {
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.+\])$/m)![1]) as string[];
    // The image runs the server as `npm start` does, with its old-generation cap (README "Memory").
    expect(START_NODE_ARGS).toContain('--max-old-space-size=1024');
    expect(cmd).toEqual(['node', ...START_NODE_ARGS, 'dist/src/main.js']);
    const env = imageEnv();
    expect(env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', DATA_DIR: '/data', PORT: '3000' });
    const port = await freePort();
    const child = spawn(process.execPath, cmd.slice(1), {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, ...env, PORT: String(port), DATA_DIR: tempDataDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no answer:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(output).toMatch(/^\{"level":"info","time":"\d{4}-/m); // JSON logs: no terminal in a container
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('compose keeps DATA_DIR on a volume, requires one LEADHUB_SECRET_KEY for all replicas, builds without the embedded database', () => {
    expect(compose).toMatch(/^\s+- leadhub-data:\/data$/m);
    expect(compose).toMatch(/^\s+LEADHUB_SECRET_KEY: \$\{LEADHUB_SECRET_KEY:\?/m);
    expect(compose).toMatch(/EMBEDDED_POSTGRES: "false"/);
    expect(dockerfile).toContain('npm prune --omit=dev --omit=optional');
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.optionalDependencies['embedded-postgres']).toBeDefined();
    expect(pkg.dependencies['embedded-postgres']).toBeUndefined();
  });

  it('without the optional embedded PostgreSQL, a start without DATABASE_URL says what to do', () => {
    // As if installed with --omit=optional: the platform binaries cannot be resolved.
    const preload = join(tempDataDir(), 'no-embedded.js');
    writeFileSync(
      preload,
      `const M = require('module'); const orig = M._resolveFilename;
       M._resolveFilename = function (req, ...rest) {
         if (req.startsWith('@embedded-postgres/')) { const e = new Error("Cannot find module '" + req + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
         return orig.call(this, req, ...rest);
       };`,
    );
    const run = spawnSync(process.execPath, ['-r', preload, 'dist/src/main.js'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: tempDataDir(), PORT: '0', LOG_FORMAT: 'json' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toContain('this installation has no embedded PostgreSQL');
    expect(run.stdout + run.stderr).toContain('Set DATABASE_URL');
  });
});
