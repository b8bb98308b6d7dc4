import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';

/** What the node-postgres pool exposes about its connections. */
export interface PgPool {
  idleCount: number;
  totalCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** The worker's backlog and the connection pool, as the readiness probe and the metrics read them. */
@Injectable()
export class BacklogRepository extends TxRepository {
  /**
   * One statement: unprocessed events, the oldest one's age in seconds, webhooks due (both partial indexes).
   * It also proves the database answers.
   */
  async workerBacklog(): Promise<{ events: number; age: number; due: number }> {
    const [row]: { events: string; age: string; due: string }[] = await this.tx.query(
      `SELECT (SELECT count(*) FROM domain_events WHERE processed_at IS NULL) AS events,
              (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::int
                 FROM domain_events WHERE processed_at IS NULL) AS age,
              (SELECT count(*) FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()) AS due`,
    );
    return { events: Number(row.events), age: Number(row.age), due: Number(row.due) };
  }

  /** Domain events not yet processed by the engine. */
  async unprocessedEvents(): Promise<number> {
    const [row]: { n: number }[] = await this.tx.query(
      'SELECT count(*)::int AS n FROM domain_events WHERE processed_at IS NULL',
    );
    return row.n;
  }

  /** Seconds since the oldest unprocessed event was recorded (0 when none). */
  async oldestEventAge(): Promise<number> {
    const [row]: { age: string }[] = await this.tx.query(
      `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age
         FROM domain_events WHERE processed_at IS NULL`,
    );
    return Number(row.age);
  }

  /** Deliveries waiting to be sent or retried. */
  async pendingDeliveries(): Promise<number> {
    const [row]: { n: number }[] = await this.tx.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`,
    );
    return row.n;
  }

  /** The pool of the connection (undefined before it is connected). */
  pool(): PgPool | undefined {
    return (this.tx.dataSource.driver as unknown as { master?: PgPool }).master;
  }
}
