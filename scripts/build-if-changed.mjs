#!/usr/bin/env node
// Builds dist/ with `nest build` only when the sources changed since the last build (a content hash of every
// input, stored in dist/.build-hash), so `npm start` on a built tree starts at once. `--force` always builds.
// Runs after `npm ci` too (the `prepare` script), so a fresh clone's first `npm start` needs no build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = ['src', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];
const STAMP = join(root, 'dist', '.build-hash');

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else yield path;
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const input of INPUTS)
    for (const file of files(join(root, input))) hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

// `npm ci` in a Docker layer that has only package*.json: nothing to build yet.
if (!existsSync(join(root, 'src'))) process.exit(0);

const hash = sourceHash();
const built = existsSync(STAMP) && existsSync(join(root, 'dist', 'src', 'main.js')) ? readFileSync(STAMP, 'utf8') : '';
if (built === hash && !process.argv.includes('--force')) process.exit(0);

const nest = join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
if (!existsSync(nest)) {
  // `npm ci --omit=dev` (prepare, --soft): no compiler here; a prebuilt dist/ is used as it is.
  process.stderr.write('leadhub: @nestjs/cli is not installed, dist/ not rebuilt\n');
  process.exit(process.argv.includes('--soft') ? 0 : 1);
}
process.stderr.write('Building LeadHub (sources changed since the last build)…\n');
const result = spawnSync(process.execPath, [nest, 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(STAMP, hash);
