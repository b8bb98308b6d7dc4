import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';

/**
 * Events nobody listens to: no active automation of their workspace triggers on their type and no active
 * webhook subscription of their workspace subscribes to it (either created no later than the event, the
 * rule the worker applies). Handling them does nothing, so they are marked processed in one statement per
 * batch instead of being claimed, loaded and looped over.
 */
@Injectable()
export class UnwatchedEventsRepository extends TxRepository {
  /**
   * Marks the unwatched ones among the `window` oldest pending events (per workspace, by the pending-events
   * index) processed; returns how many. Looking at a bounded window keeps each call cheap however long the
   * backlog of watched events ahead; what it does not reach is claimed and handled (as a no-op) by the worker.
   * Rows another worker holds are skipped. Taking one out of its lead's order is harmless: nothing observable
   * happens for it.
   */
  async markProcessed(window: number): Promise<number> {
    const [, count] = (await this.tx.query(
      `UPDATE domain_events SET processed_at = now(), attempts = attempts + 1
        WHERE id IN (
          SELECT d.id
            FROM (SELECT id FROM domain_events WHERE processed_at IS NULL
                   ORDER BY workspace_id, id LIMIT $1) head
            JOIN domain_events d ON d.id = head.id
           WHERE d.processed_at IS NULL
             AND NOT EXISTS (
               SELECT 1 FROM automations a
                WHERE a.workspace_id = d.workspace_id AND a.trigger_type = d.type AND a.is_active
                  AND a.created_at <= d.created_at)
             AND NOT EXISTS (
               SELECT 1 FROM integrations i
                WHERE i.workspace_id = d.workspace_id AND i.type = 'webhook' AND i.is_active
                  AND i.config->'event_types' ? d.type AND i.created_at <= d.created_at)
             FOR UPDATE OF d SKIP LOCKED)`,
      [window],
    )) as [unknown, number];
    return count;
  }
}
