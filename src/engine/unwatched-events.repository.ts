import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Events nobody listens to: no active automation of their workspace triggers on their type and no active
 * webhook subscription of their workspace subscribes to it (either created no later than the event, the
 * rule the worker applies). Handling them does nothing, so they are marked processed in one statement per
 * batch instead of being claimed, loaded and looped over.
 */
@Injectable()
export class UnwatchedEventsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Marks up to `limit` pending unwatched events processed; returns how many. Rows another worker holds are
   * skipped. Taking one out of its lead's order is harmless: nothing observable happens for it.
   */
  async markProcessed(limit: number): Promise<number> {
    const [, count] = (await this.db.query(
      `UPDATE domain_events SET processed_at = now(), attempts = attempts + 1
        WHERE id IN (
          SELECT d.id FROM domain_events d
           WHERE d.processed_at IS NULL
             AND NOT EXISTS (
               SELECT 1 FROM automations a
                WHERE a.workspace_id = d.workspace_id AND a.trigger_type = d.type AND a.is_active
                  AND a.created_at <= d.created_at)
             AND NOT EXISTS (
               SELECT 1 FROM integrations i
                WHERE i.workspace_id = d.workspace_id AND i.type = 'webhook' AND i.is_active
                  AND i.config->'event_types' ? d.type AND i.created_at <= d.created_at)
           LIMIT $1
             FOR UPDATE SKIP LOCKED)`,
      [limit],
    )) as [unknown, number];
    return count;
  }
}
