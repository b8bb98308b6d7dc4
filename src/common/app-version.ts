import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version of package.json (found upward from here, so it works from src/ and dist/src/ alike). */
function readVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'leadhub-api' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

export const APP_VERSION = readVersion();
