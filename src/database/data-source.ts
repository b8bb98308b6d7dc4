import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { ADVISORY_LOCK } from '../common/database/advisory-locks';
import { DatabaseClient } from './pg-client';

export interface DatabaseOptions {
  url: string;
  queryTimeoutMs?: number;
  poolSize?: number;
}

/** One definition of the connection for the app, the CLI, the tests and the TypeORM CLI. */
export function dataSourceOptions(o: DatabaseOptions): DataSourceOptions & { type: 'postgres' } {
  const timeout = o.queryTimeoutMs ?? 10_000;
  return {
    type: 'postgres',
    url: o.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: o.poolSize ?? 10,
    extra: {
      // A dead or blackholed database must fail requests fast (503), never hang them.
      query_timeout: timeout,
      statement_timeout: timeout,
      connectionTimeoutMillis: Math.min(timeout, 5_000),
      keepAlive: true,
      // No JIT: compiling a plan costs 50–100 ms, more than any API query runs (a search whose plan holds a full
      // scan it never executes paid it on every request).
      options: '-c jit=off',
      idleTimeoutMillis: 30_000,
      Client: DatabaseClient, // a connection that dies unheard must not stop the process
    },
  };
}

/**
 * Statement bound of migrations and CLI work: a migration that backfills millions of leads (e.g. the search
 * fragments) legitimately runs for many minutes, and failing it halfway would stop the upgrade.
 */
export const LONG_WORK_TIMEOUT_MS = 6 * 3_600_000;

/** Runs pending migrations under an advisory lock, so several instances starting together migrate once. */
export async function runMigrations(url: string, only?: readonly string[]): Promise<string[]> {
  // `only`: up to the level of a backup being restored (its data is loaded, then the rest runs).
  const migrations = only ? MIGRATIONS.filter((m) => only.includes(migrationName(m))) : MIGRATIONS;
  const ds = new DataSource({
    ...dataSourceOptions({ url, queryTimeoutMs: LONG_WORK_TIMEOUT_MS }),
    migrations,
    poolSize: 2,
  });
  await ds.initialize();
  try {
    return await migrate(ds);
  } finally {
    await ds.destroy();
  }
}

/** Runs pending migrations on an open data source (the CLI's one connection pool), under the same lock. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const done = await migratePending(ds);
  // Caches bound to the cluster's transaction ids are cleared when the database now lives in another cluster
  // (migration LeadListChanges); a database at an earlier level (a restore in progress) has none yet.
  await ds.query(`DO $$ BEGIN
    IF to_regprocedure('lead_changes_adopt_cluster()') IS NOT NULL THEN PERFORM lead_changes_adopt_cluster(); END IF;
  END $$`);
  return done;
}

async function migratePending(ds: DataSource): Promise<string[]> {
  // The common case (nothing pending) takes no lock: one query.
  if (!(await ds.showMigrations())) return [];
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK.migrations]);
    try {
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK.migrations]);
    }
  } finally {
    await runner.release();
  }
}

export function migrationName(m: (typeof MIGRATIONS)[number]): string {
  return new m().name ?? m.name;
}
