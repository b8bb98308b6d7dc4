import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

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
      idleTimeoutMillis: 30_000,
    },
  };
}

/** Runs pending migrations under an advisory lock, so several instances starting together migrate once. */
export async function runMigrations(url: string): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions({ url, queryTimeoutMs: 600_000 }), poolSize: 1 });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(7142001)');
    const done = await ds.runMigrations({ transaction: 'each' });
    await ds.query('SELECT pg_advisory_unlock(7142001)');
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
