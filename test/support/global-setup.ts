import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded';
import { TestState, withDatabase } from './db';
import { sharedPrisms } from './prism-proxy';

/**
 * One database server per run: DATABASE_URL when set, else an embedded cluster in a temp dir.
 * Migrations run once into a template; each test file gets its own copy (CREATE DATABASE … TEMPLATE).
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  // Started meanwhile: the Prisms do not need the database.
  const prisms =
    process.env.LEADHUB_TEST_PRISM === '1'
      ? sharedPrisms(globalConfig.maxWorkers)
      : Promise.resolve(undefined);
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let adminUrl = process.env.DATABASE_URL;
  let embeddedDir: string | undefined;
  if (!adminUrl) {
    embeddedDir = mkdtempSync(join(tmpdir(), 'leadhub-test-'));
    const cluster = await startEmbeddedPostgres({
      dataDir: embeddedDir,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    adminUrl = cluster.localUrl;
  }
  const template = `leadhub_tpl_${runId}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, template));
  // Integration secrets need a key; the tests must not write one into ./data (testConfig() passes it).
  const secretKey = randomBytes(32).toString('hex');
  const state: TestState = { adminUrl, template, runId, embeddedDir, secretKey, prisms: await prisms };
  process.env.LEADHUB_TEST_STATE = JSON.stringify(state);
}
