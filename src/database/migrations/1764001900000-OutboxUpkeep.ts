import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox that keeps up (issue 19):
 * - processed events are pruned after a retention period, oldest first, in bounded batches: an index of the
 *   processed events by when they were processed (partial, so the pending events the worker claims are not in it);
 * - the worker claims an event of a lead only when no earlier event of that lead is still pending: an index of the
 *   pending events by lead answers that probe without walking the lead's whole history.
 * automation_runs.event_id has no foreign key to domain_events: the run log outlives pruned events.
 */
export class OutboxUpkeep1764001900000 implements MigrationInterface {
  name = 'OutboxUpkeep1764001900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_domain_events_processed" ON "domain_events" ("processed_at")
        WHERE "processed_at" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "IDX_domain_events_pending_by_lead" ON "domain_events" ("lead_id", "id")
        WHERE "processed_at" IS NULL AND "lead_id" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_domain_events_pending_by_lead"`);
    await q.query(`DROP INDEX "IDX_domain_events_processed"`);
  }
}
