import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

// Headless Chromium from Debian's package (never a downloaded browser); CI installs it (.ci/run). Elsewhere,
// without it, a browser suite is skipped with a message instead of failing.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `describe` when Chromium is installed, else `describe.skip` with a warning; in CI its absence fails. */
export function browserDescribe(specFile: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  if (process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(`${basename(specFile)} skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return describe.skip;
}

/** Flags that keep Chromium off this machine's closed network (no background fetches, no component updates). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
