import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { afterCommit, type TypeOrmTransactions } from '../database/transactions';
import { DomainEventsRepository } from './domain-events.repository';
import { DomainEvent, RecordedEvent } from './domain-event';

type Listener = (event: RecordedEvent) => void | Promise<void>;

/**
 * Durable domain events: `record` writes them to the `domain_events` outbox in the current transaction (the
 * `@Transactional()` service method that made the change); once that transaction committed, they are emitted
 * in-process to `onCommitted` listeners. A rolled-back transaction emits nothing (and its rows never existed).
 */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  private readonly emitter = new EventEmitter().setMaxListeners(100);
  /** Events recorded per transaction (keyed by its EntityManager), emitted after its commit. */
  private readonly pending = new WeakMap<object, RecordedEvent[]>();
  /** Causal chain of the events a transaction records (set by the automation engine while actions run). */
  private readonly chains = new WeakMap<object, Chain>();

  constructor(
    private readonly txHost: TransactionHost<TypeOrmTransactions>,
    private readonly outbox: DomainEventsRepository,
  ) {}

  /** Inserts the events (one statement) in the current transaction; a change outside one is a bug. */
  async record(events: DomainEvent | DomainEvent[]): Promise<RecordedEvent[]> {
    const list = Array.isArray(events) ? events : [events];
    if (!list.length) return [];
    if (!this.txHost.isTransactionActive())
      throw new Error('Domain events are recorded in the transaction of their change (@Transactional).');
    const manager = this.txHost.tx;
    const chain = this.chains.get(manager);
    const rows = await this.outbox.insert(
      list.map((e) => ({
        workspaceId: e.workspaceId,
        type: e.type,
        leadId: e.leadId,
        payload: payload(e, chain),
      })),
    );
    const recorded = list.map((e, i) => ({ ...e, id: rows[i].id, createdAt: rows[i].created_at }));
    const queue = this.pending.get(manager);
    if (queue) queue.push(...recorded);
    else {
      this.pending.set(manager, recorded);
      afterCommit(manager, () => this.flush(manager));
    }
    return recorded;
  }

  /**
   * Events recorded in the current transaction from now on carry this causal chain (`payload.depth`, the number
   * of automation runs that led to them, and `payload.budget`, what they may still cause); undefined (the
   * default, changes made through the API) starts a new chain.
   */
  setChain(chain: Chain | undefined): void {
    const manager = this.txHost.tx;
    if (chain) this.chains.set(manager, chain);
    else this.chains.delete(manager);
  }

  /** How many events the current transaction recorded so far (a mark for `recordedSince`). */
  recordedCount(): number {
    return this.pending.get(this.txHost.tx)?.length ?? 0;
  }

  /** The events the current transaction recorded after `mark`. */
  recordedSince(mark: number): RecordedEvent[] {
    return this.pending.get(this.txHost.tx)?.slice(mark) ?? [];
  }

  /** Sets the chain budget carried by events recorded in this transaction, per group of events (one statement). */
  async setBudgets(groups: { events: RecordedEvent[]; budget: number }[]): Promise<void> {
    const ids: string[] = [];
    const budgets: number[] = [];
    for (const g of groups)
      for (const e of g.events) {
        ids.push(e.id);
        budgets.push(g.budget);
      }
    if (ids.length) await this.outbox.setBudgets(ids, budgets);
  }

  /**
   * Runs `work` inside a savepoint of the current transaction (nested propagation): when it throws, its writes
   * and the events it recorded are undone (and will not be emitted), the transaction goes on, and the error is
   * rethrown.
   */
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const manager = this.txHost.tx;
    const mark = this.pending.get(manager)?.length ?? 0;
    try {
      return await this.txHost.withTransaction(Propagation.Nested, work);
    } catch (err) {
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

  private flush(manager: object): void {
    const events = this.pending.get(manager) ?? [];
    this.pending.delete(manager);
    this.chains.delete(manager);
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
