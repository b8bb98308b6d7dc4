import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';

/** An outbox row as the worker claims it (with its workspace's slug, for webhook bodies). */
export interface ClaimedEvent {
  /** bigint as a string. */
  id: string;
  workspace_id: number;
  workspace_slug: string;
  type: string;
  lead_id: number | null;
  payload: { changes?: Record<string, unknown>; depth?: number; budget?: number; [key: string]: unknown };
  created_at: Date;
}

/** The outbox as the engine's worker consumes it (`domain_events`, in the worker's transaction). */
@Injectable()
export class ClaimedEventsRepository extends TxRepository {
  /**
   * Claims up to `batch` unprocessed events, fairly across workspaces: the workspaces with pending events,
   * longest waiting first (by their oldest pending event), each get an equal share of the batch (at least one
   * event), their oldest events first. So a workspace with a backlog of thousands of events takes its share of
   * every batch, not every batch: another workspace's event is claimed in the next batch at the latest (the
   * next ⌈workspaces / batch⌉ batches when more workspaces than the batch size are waiting). Rows another worker
   * holds are skipped, not waited for; so is an event whose lead has an earlier one pending outside this claim
   * (see IN_LEAD_ORDER). Returned in id order.
   */
  async claim(batch: number): Promise<ClaimedEvent[]> {
    // The workspaces with pending events by a skip scan of the pending-by-workspace index (one probe per
    // workspace, however long the backlog), then each one's oldest pending event.
    const waiting: { workspace_id: number }[] = await this.tx.query(
      `WITH RECURSIVE ws AS (
         (SELECT workspace_id FROM domain_events WHERE processed_at IS NULL ORDER BY workspace_id LIMIT 1)
         UNION ALL
         SELECT (SELECT d.workspace_id FROM domain_events d
                  WHERE d.processed_at IS NULL AND d.workspace_id > ws.workspace_id
                  ORDER BY d.workspace_id LIMIT 1)
           FROM ws WHERE ws.workspace_id IS NOT NULL)
       SELECT ws.workspace_id FROM ws
        CROSS JOIN LATERAL (
          SELECT d.id AS oldest FROM domain_events d
           WHERE d.workspace_id = ws.workspace_id AND d.processed_at IS NULL
           ORDER BY d.workspace_id, d.id LIMIT 1) o
        WHERE ws.workspace_id IS NOT NULL
        ORDER BY o.oldest LIMIT $1`,
      [batch],
    );
    if (!waiting.length) return [];
    const share = Math.max(1, Math.floor(batch / waiting.length));
    return this.tx.query(
      `WITH c AS (
         SELECT d.id, d.lead_id FROM unnest($1::int[]) AS ws(id)
          CROSS JOIN LATERAL (
            SELECT id, lead_id FROM domain_events d
             WHERE d.workspace_id = ws.id AND d.processed_at IS NULL
             ORDER BY d.workspace_id, d.id LIMIT $2
               FOR UPDATE SKIP LOCKED) d)
       SELECT e.id, e.workspace_id, w.slug AS workspace_slug, e.type, e.lead_id, e.payload, e.created_at
         FROM c
         JOIN domain_events e ON e.id = c.id
         JOIN workspaces w ON w.id = e.workspace_id
        WHERE ${IN_LEAD_ORDER}
        ORDER BY e.id`,
      [waiting.map((w) => w.workspace_id), share],
    );
  }

  /** Marks the events processed (one more attempt each). */
  async markProcessed(ids: string[]): Promise<void> {
    await this.tx.query(
      `UPDATE domain_events SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }
}

/**
 * Each lead's events are handled in the order they happened, also by several workers: a claimed event (c)
 * is kept only when no earlier event of its lead is pending outside this claim. Such an event is held by
 * another worker (the claim takes each workspace's oldest pending events, skipping only locked ones); its
 * lead's later events wait for a later batch. They stay locked until this transaction ends, which is
 * harmless: nobody may take them before the earlier one is done. Events without a lead are free.
 */
const IN_LEAD_ORDER = `c.lead_id IS NULL OR NOT EXISTS (
  SELECT 1 FROM domain_events p
   WHERE p.lead_id = c.lead_id AND p.processed_at IS NULL AND p.id < c.id
     AND p.id NOT IN (SELECT id FROM c))`;
