import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { embeddedClusterDir, livePostmaster } from '../../src/database/embedded';
import { SHARED_HOME } from '../../src/database/embedded-placement';
import { readState } from './db';

export default async function globalTeardown(): Promise<void> {
  const state = readState();
  for (const { pid } of state.prisms ?? [])
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1`,
    [`leadhub_%${state.runId}%`],
  );
  for (const { datname } of rows)
    await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
  if (state.embeddedDir) {
    // DATA_DIR/pg, or (as root, with a private TMPDIR) the cluster placed for it under SHARED_HOME
    const pgDir = embeddedClusterDir(state.embeddedDir);
    const live = livePostmaster(pgDir);
    if (live) {
      process.kill(live.pid, 'SIGINT');
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(live.pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          break;
        }
      }
    }
    if (pgDir.startsWith(`${SHARED_HOME}/`)) rmSync(dirname(pgDir), { recursive: true, force: true });
    rmSync(state.embeddedDir, { recursive: true, force: true });
  }
}
