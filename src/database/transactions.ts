import type { TransactionalAdapter, TransactionHost } from '@nestjs-cls/transactional';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { retryConflicts } from '../common/crud/retry-conflicts';

export interface TxOptions {
  isolationLevel?: IsolationLevel;
  /**
   * A transaction started here (not joined) runs again when PostgreSQL aborts it as a deadlock victim or for a
   * serialization failure (retryConflicts), unless `false`: for a caller whose work cannot be replayed (the
   * idempotency interceptor runs the request's handler in it).
   */
  retry?: boolean;
}

/** What repositories inject: `txHost.tx` is the current transaction's EntityManager (or the pool's outside one). */
export type Tx = TransactionHost<TypeOrmTransactions>;

const committedHooks = new WeakMap<EntityManager, (() => void)[]>();

/**
 * Runs `hook` after the transaction `manager` belongs to committed (never when it rolls back). Outside a
 * transaction (the pool's manager) the statement already committed: the hook runs at once.
 */
export function afterCommit(manager: EntityManager, hook: () => void): void {
  if (!manager.queryRunner?.isTransactionActive) return hook();
  const hooks = committedHooks.get(manager);
  if (hooks) hooks.push(hook);
  else committedHooks.set(manager, [hook]);
}

/**
 * The `@nestjs-cls/transactional` adapter for TypeORM, with what the app needs besides: the outermost
 * transaction retries lost races (see TxOptions.retry) and runs the `afterCommit` hooks once it committed;
 * nested propagation is a savepoint of the same connection (the engine's per-automation runs).
 */
export class TypeOrmTransactions implements TransactionalAdapter<DataSource, EntityManager, TxOptions> {
  connectionToken = DataSource;

  optionsFactory = (db: DataSource) => ({
    wrapWithTransaction: (
      options: TxOptions | undefined,
      fn: () => Promise<unknown>,
      setTx: (tx?: EntityManager) => void,
    ) => {
      const once = async () => {
        let manager: EntityManager | undefined;
        try {
          const run = (m: EntityManager) => {
            manager = m;
            setTx(m);
            return fn();
          };
          const iso = options?.isolationLevel;
          const result = await (iso ? db.manager.transaction(iso, run) : db.manager.transaction(run));
          const hooks = committedHooks.get(manager!) ?? [];
          committedHooks.delete(manager!);
          for (const hook of hooks) hook();
          return result;
        } finally {
          if (manager) committedHooks.delete(manager);
        }
      };
      return options?.retry === false ? once() : retryConflicts(once);
    },
    wrapWithNestedTransaction: (
      _options: TxOptions | undefined,
      fn: () => Promise<unknown>,
      setTx: (tx?: EntityManager) => void,
      tx: EntityManager,
    ) =>
      // On a manager already in a transaction TypeORM takes a SAVEPOINT (same connection, same manager).
      tx.transaction((m) => {
        setTx(m);
        return fn();
      }),
    getFallbackInstance: () => db.manager,
  });
}
