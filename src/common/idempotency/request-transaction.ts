import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';

interface Pinned {
  dataSource: DataSource;
  runner: QueryRunner;
}

const current = new AsyncLocalStorage<Pinned>();
const patched = new WeakSet<DataSource>();

/**
 * Runs `work` with every query of `dataSource` made in its async context — repositories, `dataSource.query`,
 * `dataSource.transaction` (which become savepoints) — on ONE query runner inside ONE transaction, committed only
 * when `finish` (given the result) has run in it too. This is how an idempotent POST stores its response in the
 * same transaction as its write, without every service taking a transaction parameter.
 */
export async function inRequestTransaction<T>(
  dataSource: DataSource,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  pinnable(dataSource);
  const runner = dataSource.createQueryRunner();
  const release = runner.release.bind(runner);
  // The services release "their" runner after each use; this one stays ours until the end.
  runner.release = async () => undefined;
  try {
    await runner.connect();
    await runner.startTransaction();
    const result = await current.run({ dataSource, runner }, () => work(runner));
    await runner.commitTransaction();
    return result;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await release().catch(() => undefined);
  }
}

/** Makes `dataSource.createQueryRunner()` hand out the pinned runner inside `inRequestTransaction`. */
function pinnable(dataSource: DataSource): void {
  if (patched.has(dataSource)) return;
  patched.add(dataSource);
  const original = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode?: ReplicationMode) => {
    const pinned = current.getStore();
    return pinned && pinned.dataSource === dataSource ? pinned.runner : original(mode);
  };
}
