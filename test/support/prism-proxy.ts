import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './server-process';

const ROOT = join(__dirname, '..', '..');

/** Stoplight Prism in proxy mode in front of a test app: it reports every contract violation it sees. */
export class PrismProxy {
  private constructor(
    readonly url: string,
    /** Absent for a worker's shared Prism, which the global teardown stops. */
    private readonly proc?: ChildProcess,
  ) {}

  /** A Prism of its own in front of a listening app. */
  static async start(upstreamPort: number): Promise<PrismProxy> {
    const port = await freePort();
    const proc = spawnPrism(upstreamPort, port);
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${url}/api/v1/health`)).ok) return new PrismProxy(url, proc);
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    proc.kill();
    throw new Error('Prism did not start');
  }

  /** A Prism that the global setup started (see sharedPrisms). */
  static shared(url: string): PrismProxy {
    return new PrismProxy(url);
  }

  /** Violations Prism found in the response (request violations are what hostile tests send on purpose). */
  static responseViolations(headers: Record<string, string>): string[] {
    const raw = headers['sl-violations'];
    if (!raw) return [];
    return parseViolations(raw)
      .filter((v) => v.location[0] === 'response' && v.severity === 'Error')
      .map((v) => `${v.location.join('.')}: ${v.message}`);
  }

  stop(): void {
    this.proc?.kill();
  }
}

function spawnPrism(upstreamPort: number, port: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js'),
      'proxy',
      join(ROOT, 'openapi', 'openapi.json'),
      `http://127.0.0.1:${upstreamPort}`,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--errors',
      'false',
    ],
    { stdio: 'ignore' },
  );
}

/** One jest worker's Prism: it proxies to appPort, which one test app of that worker at a time listens on. */
export interface SharedPrism {
  url: string;
  appPort: number;
  pid: number;
}

/**
 * A Prism per jest worker, started once for the run (the global setup): starting one costs seconds of CPU (it
 * reads the whole document), and most test files start one app. Resolves once each accepts connections.
 */
export async function sharedPrisms(workers: number): Promise<SharedPrism[]> {
  const started = await Promise.all(
    Array.from({ length: workers }, async () => {
      const [appPort, port] = [await freePort(), await freePort()];
      return { appPort, port, proc: spawnPrism(appPort, port) };
    }),
  );
  for (const { port, proc } of started) {
    const deadline = Date.now() + 60_000;
    while (!(await accepts(port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        for (const s of started) s.proc.kill();
        throw new Error('Prism did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return started.map(({ appPort, port, proc }) => ({
    url: `http://127.0.0.1:${port}`,
    appPort,
    pid: proc.pid!,
  }));
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

type Violation = { location: string[]; severity: string; message: string };
const CUT = 'Too many violations! ';

/**
 * Prism cuts a list longer than 8 KB (a hostile request's own violations, one per branch of each oneOf) and
 * prefixes it with CUT: the entries before the cut are read; the response is checked by contract.ts anyway.
 */
function parseViolations(raw: string): Violation[] {
  if (!raw.startsWith(CUT)) return JSON.parse(raw) as Violation[];
  const text = raw.slice(CUT.length);
  for (let end = text.lastIndexOf('},{'); end > 0; end = text.lastIndexOf('},{', end - 1)) {
    try {
      return JSON.parse(`${text.slice(0, end + 1)}]`) as Violation[];
    } catch {
      // the boundary was inside a message: try the one before
    }
  }
  return [];
}
