import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner, ReplicationMode } from 'typeorm';

interface Pinned {
  dataSource: DataSource;
  runner: QueryRunner;
}

const current = new AsyncLocalStorage<Pinned>();
const patched = new WeakSet<DataSource>();

/**
 * Transitional, until every domain reads its EntityManager from the TransactionHost (see
 * test/architecture/data-access.spec.ts's list of files not converted yet): runs `work` with every query of
 * `dataSource` made outside the ambient transaction — `dataSource.query`, injected TypeORM repositories,
 * `dataSource.transaction` (which become savepoints) — on the ambient transaction's connection too, so an
 * idempotent POST stores its response in the same transaction as whatever its handler wrote.
 */
export async function pinQueriesToTransaction<T>(
  dataSource: DataSource,
  tx: EntityManager,
  work: () => Promise<T>,
): Promise<T> {
  const runner = tx.queryRunner;
  if (!runner) return work();
  pinnable(dataSource);
  // The callers release "their" runner after each use; this one stays the transaction's until `work` ended.
  const own = Object.hasOwn(runner, 'release');
  const release = runner.release;
  runner.release = async () => undefined;
  try {
    return await current.run({ dataSource, runner }, work);
  } finally {
    if (own) runner.release = release;
    else delete (runner as Partial<QueryRunner>).release;
  }
}

/** Makes `dataSource.createQueryRunner()` hand out the pinned runner inside `pinQueriesToTransaction`. */
function pinnable(dataSource: DataSource): void {
  if (patched.has(dataSource)) return;
  patched.add(dataSource);
  const original = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode?: ReplicationMode) => {
    const pinned = current.getStore();
    return pinned && pinned.dataSource === dataSource ? pinned.runner : original(mode);
  };
}
