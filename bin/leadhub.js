#!/usr/bin/env node
// The `leadhub` CLI (workspaces and API keys). Runs the compiled code: `npm run build` first.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('leadhub: not built yet — run `npm run build` (or `npm start` once) first\n');
  process.exit(1);
}
require(cli).runCli();
