import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT, ServerProcess, tempDataDir } from '../support/server-process';

jest.setTimeout(120_000);

const KEY = 'lh_' + 'R'.repeat(40);
const METRICS_TOKEN = 'readme-metrics-token-0123';

/** Every curl command of the README's bash blocks (continued lines joined), in order. */
export function readmeCurls(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1]);
  const commands: string[] = [];
  for (const block of blocks) {
    const joined = block.replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) if (/^\s*curl\s/.test(line)) commands.push(line.trim());
  }
  return commands;
}

describe('the README examples work when pasted', () => {
  it('runs every curl line against a fresh server: no 4xx/5xx', async () => {
    const commands = readmeCurls(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8'));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const s = await ServerProcess.start({
      DATA_DIR: tempDataDir(),
      LEADHUB_BOOTSTRAP_KEY: KEY,
      METRICS_TOKEN,
    });
    try {
      for (const command of commands) {
        const real = command
          .replaceAll('http://localhost:3000', `http://127.0.0.1:${s.port}`)
          .replaceAll('lh_your_api_key_here', KEY)
          .replaceAll('your-metrics-token', METRICS_TOKEN);
        const { stdout } = await promisify(execFile)('bash', ['-c', `${real} -sS -w '\\n%{http_code}'`]);
        const status = Number(stdout.trim().split('\n').at(-1));
        if (status < 200 || status >= 400) throw new Error(`${command}\n→ ${status}: ${stdout}`);
      }
    } finally {
      await s.stop();
    }
  });
});
