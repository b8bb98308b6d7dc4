import 'reflect-metadata';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createApp } from './app.factory';
import { loadConfig } from './config/app-config';
import { buildOpenApiDocument } from './common/docs/openapi';

/** Writes openapi/openapi.json from the code, without a port or a database; `--check` fails when stale. */
async function main() {
  // The document never depends on the environment: built from the defaults.
  const app = await createApp({
    config: loadConfig({}, { logLevel: 'silent', logFormat: 'json' }),
    databaseUrl: 'postgres://unused/unused',
    preview: true,
    swagger: false,
  });
  const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close().catch(() => undefined);
  const out = 'openapi/openapi.json';
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(out, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (committed !== json) {
      process.stderr.write(`${out} is stale: run \`npm run openapi\` and commit the result.\n`);
      process.exit(1);
    }
    process.stdout.write(`${out} is up to date.\n`);
    return;
  }
  mkdirSync('openapi', { recursive: true });
  writeFileSync(out, json);
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
