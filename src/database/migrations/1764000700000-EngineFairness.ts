import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bounded, fair automation work: a run cut short says why (`cut_reason`: the chain depth limit or the chain
 * budget), and the worker claims pending events per workspace (oldest pending first in each), which wants an
 * index of the pending events by workspace. It replaces the index of pending events by id: with both, the
 * planner may walk the id index past another workspace's whole backlog to find one workspace's oldest event.
 */
export class EngineFairness1764000700000 implements MigrationInterface {
  name = 'EngineFairness1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "automation_runs" ADD COLUMN "cut_reason" varchar(32)
        CONSTRAINT "automation_runs_cut_reason_check" CHECK ("cut_reason" IN ('depth_limit', 'chain_budget'))`);
    await q.query(
      `UPDATE "automation_runs" SET "cut_reason" = 'depth_limit' WHERE "status" = 'cut' AND "cut_reason" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "IDX_domain_events_pending_by_workspace" ON "domain_events" ("workspace_id", "id")
        WHERE "processed_at" IS NULL`,
    );
    await q.query(`DROP INDEX "IDX_domain_events_unprocessed"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_domain_events_unprocessed" ON "domain_events" ("id") WHERE "processed_at" IS NULL`,
    );
    await q.query(`DROP INDEX "IDX_domain_events_pending_by_workspace"`);
    await q.query(`ALTER TABLE "automation_runs" DROP COLUMN "cut_reason"`);
  }
}
