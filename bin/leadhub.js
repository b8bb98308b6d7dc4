#!/usr/bin/env node
// The `leadhub` CLI (workspaces, API keys, users, demo data, backups). Runs the compiled code (`npm ci` builds it).
require('node:module').enableCompileCache?.(); // Node ≥ 22.1: cached compiled modules, a faster start
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('leadhub: not built yet — run `npm run build` (or `npm start` once) first\n');
  process.exit(1);
}
require(cli).runCli();
