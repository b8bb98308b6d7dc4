import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { SharedPrism } from './prism-proxy';

export interface TestState {
  adminUrl: string;
  template: string;
  runId: string;
  embeddedDir?: string;
  /** LEADHUB_SECRET_KEY of the run's apps (testConfig), so none writes a key file. */
  secretKey: string;
  /** LEADHUB_TEST_PRISM=1: one Prism per jest worker (index JEST_WORKER_ID - 1). */
  prisms?: SharedPrism[];
}

/** Set by the global setup; jest workers inherit it. */
export function readState(): TestState {
  if (!process.env.LEADHUB_TEST_STATE)
    throw new Error('Run the tests with jest (the global setup prepares the database)');
  return JSON.parse(process.env.LEADHUB_TEST_STATE) as TestState;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

/** A fresh, migrated database for one test file. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const state = readState();
  const name = `leadhub_t_${state.runId}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${state.template}`);
  await admin.end();
  return {
    url: withDatabase(state.adminUrl, name),
    drop: async () => {
      const c = new Client({ connectionString: state.adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await c.end();
    },
  };
}
