import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'bin', 'leadhub.js');

/** The node flags `npm start` runs the server with (package.json's start script). */
export const START_NODE_ARGS: string[] = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((a) => a.startsWith('--'));

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'leadhub-proc-'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The built server (`dist/`) as a child process, as `npm start` runs it. */
export class ServerProcess {
  output = '';
  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
  ) {
    proc.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  /** `root`: another built checkout to run (its dist/ and bin/), started in that folder. */
  static async start(env: Record<string, string>, root?: string): Promise<ServerProcess> {
    const port = await freePort();
    const proc = spawn(
      process.execPath,
      [...START_NODE_ARGS, root ? join(root, 'dist', 'src', 'main.js') : MAIN],
      {
        cwd: root,
        env: { ...cleanEnv(), LOG_LEVEL: 'info', ...env, PORT: String(port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const server = new ServerProcess(proc, port);
    await server.waitFor(/listening on/, 60_000);
    return server;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async waitFor(pattern: RegExp, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pattern.test(this.output)) {
      if (this.proc.exitCode !== null)
        throw new Error(`server exited (${this.proc.exitCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Resolves with the exit code once the process ended (null when killed). */
  exited(): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null)
      return Promise.resolve(this.proc.exitCode);
    return new Promise((r) => this.proc.once('exit', (code) => r(code)));
  }

  /** Stops it with a signal and resolves with the exit code (null when killed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return this.proc.exitCode;
    const exited = new Promise<number | null>((r) => this.proc.once('exit', (code) => r(code)));
    this.proc.kill(signal);
    return exited;
  }
}

/** Runs `leadhub …` (the package's bin) and parses its --json output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function cli(args: string[], env: Record<string, string>, root?: string): Promise<any> {
  const bin = root ? join(root, 'bin', 'leadhub.js') : CLI;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args, '--json'], {
    cwd: root,
    env: { ...cleanEnv(), ...env },
    timeout: 60_000,
  });
  try {
    return JSON.parse(stdout);
  } catch (err) {
    // Say which command printed what (a private-folder run once failed here under load, without saying why).
    throw new Error(`leadhub ${args.join(' ')} --json printed no JSON:\n${stdout}\nstderr:\n${stderr}`, {
      cause: err,
    });
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `leadhub …` as typed (no --json added), with standard input and a working directory. */
export function cliRun(
  args: string[],
  env: Record<string, string>,
  o: { input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...cleanEnv(), ...env },
      cwd: o.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}

export const PROJECT_ROOT = ROOT;

/** The environment without the test run's database and Redis, so a child uses exactly what it is given. */
function cleanEnv(): Record<string, string> {
  const env = { ...process.env } as Record<string, string>;
  for (const k of [
    'DATABASE_URL',
    'REDIS_URL',
    'LEADHUB_BOOTSTRAP_KEY',
    'LEADHUB_SECRET_KEY',
    'DATA_DIR',
    'LEADHUB_TEST_STATE',
  ])
    delete env[k];
  return env;
}

export function firstKey(output: string): string | undefined {
  return output.match(/\b(lh_[A-Za-z0-9]{32,})\b/)?.[1];
}
