import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './server-process';

const ROOT = join(__dirname, '..', '..');

/** Stoplight Prism in proxy mode in front of a test app: it reports every contract violation it sees. */
export class PrismProxy {
  private constructor(
    private readonly proc: ChildProcess,
    readonly url: string,
  ) {}

  static async start(upstreamPort: number): Promise<PrismProxy> {
    const port = await freePort();
    const proc = spawn(
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
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${url}/api/v1/health`)).ok) return new PrismProxy(proc, url);
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    proc.kill();
    throw new Error('Prism did not start');
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
    this.proc.kill();
  }
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
