import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';
import { retryConflicts } from '../common/crud/retry-conflicts';
import { DomainEvent, RecordedEvent } from './domain-event';

type Listener = (event: RecordedEvent) => void | Promise<void>;

/**
 * Durable domain events: `record` writes them to the `domain_events` outbox in the caller's transaction;
 * `transaction` runs work in a transaction and, once it committed, emits its events in-process to
 * `onCommitted` listeners. A rolled-back transaction emits nothing (and its rows never existed).
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  private readonly emitter = new EventEmitter().setMaxListeners(100);
  private readonly pending = new WeakMap<EntityManager, RecordedEvent[]>();
  /** Causal chain of the events a transaction records (set by the automation engine while actions run). */
  private readonly chains = new WeakMap<EntityManager, Chain>();

  private savepoints = 0;

  constructor(private readonly db: DataSource) {}

  /** Inserts the events (one statement) in the transaction of `manager`. */
  async record(manager: EntityManager, events: DomainEvent | DomainEvent[]): Promise<RecordedEvent[]> {
    const list = Array.isArray(events) ? events : [events];
    if (!list.length) return [];
    const params: unknown[] = [];
    const chain = this.chains.get(manager);
    const values = list.map((e) => {
      params.push(e.workspaceId, e.type, e.leadId, JSON.stringify(payload(e, chain)));
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    const rows: { id: string; created_at: Date }[] = await manager.query(
      `INSERT INTO domain_events (workspace_id, type, lead_id, payload) VALUES ${values.join(', ')}
       RETURNING id, created_at`,
      params,
    );
    const recorded = list.map((e, i) => ({ ...e, id: String(rows[i].id), createdAt: rows[i].created_at }));
    const queue = this.pending.get(manager);
    if (queue) queue.push(...recorded);
    else this.pending.set(manager, recorded);
    return recorded;
  }

  /**
   * Runs `work` in a transaction and emits the events it recorded after the commit. With `outer` (a caller's
   * transaction) it runs there instead; that caller's own `transaction` emits once the outer one commits.
   * A transaction PostgreSQL aborts as a deadlock victim or for a serialization failure runs again (bounded,
   * see retryConflicts): `work` must not have effects outside the database.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>, outer?: EntityManager): Promise<T> {
    if (outer) return work(outer);
    return retryConflicts(() => this.once(work));
  }

  private async once<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let manager: EntityManager | undefined;
    try {
      const result = await this.db.transaction((m) => {
        manager = m;
        return work(m);
      });
      this.flush(manager!);
      return result;
    } finally {
      if (manager) {
        this.pending.delete(manager);
        this.chains.delete(manager);
      }
    }
  }

  /**
   * Events recorded in `manager`'s transaction from now on carry this causal chain (`payload.depth`, the number
   * of automation runs that led to them, and `payload.budget`, what they may still cause); undefined (the
   * default, changes made through the API) starts a new chain.
   */
  setChain(manager: EntityManager, chain: Chain | undefined): void {
    if (chain) this.chains.set(manager, chain);
    else this.chains.delete(manager);
  }

  /** How many events `manager`'s transaction recorded so far (a mark for `recordedSince`). */
  recordedCount(manager: EntityManager): number {
    return this.pending.get(manager)?.length ?? 0;
  }

  /** The events `manager`'s transaction recorded after `mark`. */
  recordedSince(manager: EntityManager, mark: number): RecordedEvent[] {
    return this.pending.get(manager)?.slice(mark) ?? [];
  }

  /** Sets the chain budget carried by events recorded in this transaction (once it is known). */
  async setBudget(manager: EntityManager, events: RecordedEvent[], budget: number): Promise<void> {
    if (!events.length) return;
    await manager.query(
      `UPDATE domain_events SET payload = payload || jsonb_build_object('budget', $2::int) WHERE id = ANY($1::bigint[])`,
      [events.map((e) => e.id), budget],
    );
  }

  /**
   * Runs `work` inside a savepoint of `manager`'s transaction: when it throws, its writes and the events it
   * recorded are undone (and will not be emitted), the transaction goes on, and the error is rethrown.
   */
  async savepoint<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    const mark = this.pending.get(manager)?.length ?? 0;
    await manager.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await manager.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
      this.pending.get(manager)?.splice(mark);
      throw err;
    }
  }

  /** Listens to events after their transaction committed; returns the unsubscribe function. */
  onCommitted(listener: Listener): () => void {
    const wrapped = (event: RecordedEvent) => {
      try {
        const r = listener(event);
        if (r instanceof Promise) r.catch((err) => this.logger.error(err));
      } catch (err) {
        this.logger.error(err);
      }
    };
    this.emitter.on('committed', wrapped);
    return () => this.emitter.off('committed', wrapped);
  }

  private flush(manager: EntityManager): void {
    const events = this.pending.get(manager) ?? [];
    this.pending.delete(manager);
    for (const e of events) this.emitter.emit('committed', e);
  }
}

/** Where an event sits in a causal chain started by one change made through the API. */
export interface Chain {
  depth: number;
  budget: number;
}

function payload(e: DomainEvent, chain: Chain | undefined) {
  return { workspace_id: e.workspaceId, lead_id: e.leadId, changes: e.changes, ...(chain ?? {}) };
}
