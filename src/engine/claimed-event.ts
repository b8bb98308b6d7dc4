/** An outbox row as the worker claims it (with its workspace's slug, for webhook bodies). */
export interface ClaimedEvent {
  /** bigint as a string. */
  id: string;
  workspace_id: number;
  workspace_slug: string;
  type: string;
  lead_id: number | null;
  payload: { changes?: Record<string, unknown>; depth?: number; [key: string]: unknown };
  created_at: Date;
}

/** Claims the oldest unprocessed events; rows another worker holds are skipped, not waited for. */
export const CLAIM_EVENTS = `
  SELECT e.id, e.workspace_id, w.slug AS workspace_slug, e.type, e.lead_id, e.payload, e.created_at
    FROM domain_events e JOIN workspaces w ON w.id = e.workspace_id
   WHERE e.processed_at IS NULL
   ORDER BY e.id
   LIMIT $1
     FOR UPDATE OF e SKIP LOCKED`;
