import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** SQL of the outbox's upkeep: pruning processed events, and the backlog as metrics see it. */
@Injectable()
export class OutboxRetentionRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Deletes up to `limit` events processed more than `hours` ago (by the partial index of processed events);
   * returns how many. Rows another transaction holds are skipped. Pending events are never touched.
   */
  async pruneProcessed(hours: number, limit: number): Promise<number> {
    const [, count] = (await this.db.query(
      // = ANY(ARRAY(…)), not IN (…): the planner may hash-join an IN against a scan of the whole table.
      `DELETE FROM domain_events WHERE id = ANY(ARRAY(
         SELECT id FROM domain_events
          WHERE processed_at IS NOT NULL AND processed_at < now() - make_interval(hours => $1::int)
          LIMIT $2
            FOR UPDATE SKIP LOCKED))`,
      [hours, limit],
    )) as [unknown, number];
    return count;
  }

  /** Pending events and the age in seconds of the oldest one (0 when none). */
  async backlog(): Promise<{ events: number; oldestAgeSeconds: number }> {
    const [row] = await this.db.query<{ events: string; age: string }[]>(
      `SELECT count(*) AS events, coalesce(extract(epoch FROM now() - min(created_at)), 0) AS age
         FROM domain_events WHERE processed_at IS NULL`,
    );
    return { events: Number(row.events), oldestAgeSeconds: Number(row.age) };
  }
}
