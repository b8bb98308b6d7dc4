import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';

/** The outbox's upkeep: processed events pruned after the retention period (outside any transaction). */
@Injectable()
export class OutboxRetentionRepository extends TxRepository {
  /**
   * Deletes up to `limit` events processed more than `hours` ago (by the partial index of processed events);
   * returns how many. Rows another transaction holds are skipped. Pending events are never touched.
   */
  async pruneProcessed(hours: number, limit: number): Promise<number> {
    const [, count] = (await this.tx.query(
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
}
