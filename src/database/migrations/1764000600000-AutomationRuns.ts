import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The automation engine: a run log (one row per automation considered for an event) and durable outbound
 * webhook deliveries. Events that predate the engine are marked processed: automations never run on them.
 */
export class AutomationRuns1764000600000 implements MigrationInterface {
  name = 'AutomationRuns1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "automation_runs" (
        "id" BIGSERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "automation_id" integer NOT NULL REFERENCES "automations" ("id") ON DELETE CASCADE,
        "event_id" bigint NOT NULL,
        "event_type" varchar(64) NOT NULL,
        "lead_id" integer,
        "depth" integer NOT NULL DEFAULT 0,
        "status" varchar(16) NOT NULL
          CONSTRAINT "automation_runs_status_check" CHECK ("status" IN ('succeeded', 'failed', 'skipped', 'cut')),
        "actions_applied" jsonb NOT NULL DEFAULT '[]',
        "error" text,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // The run log of an automation, newest first.
    await q.query(
      `CREATE INDEX "IDX_automation_runs_automation" ON "automation_runs" ("automation_id", "id")`,
    );
    await q.query(`
      CREATE TABLE "webhook_deliveries" (
        "id" uuid PRIMARY KEY,
        "automation_run_id" bigint NOT NULL REFERENCES "automation_runs" ("id") ON DELETE CASCADE,
        "url" varchar(2048) NOT NULL,
        "secret" text,
        "event_type" varchar(64) NOT NULL,
        "payload" jsonb NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "status" varchar(16) NOT NULL DEFAULT 'pending'
          CONSTRAINT "webhook_deliveries_status_check" CHECK ("status" IN ('pending', 'delivered', 'failed')),
        "last_status_code" integer,
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // The sender's queue: pending deliveries by due time.
    await q.query(
      `CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await q.query(`CREATE INDEX "IDX_webhook_deliveries_run" ON "webhook_deliveries" ("automation_run_id")`);
    await q.query(`UPDATE "domain_events" SET "processed_at" = now() WHERE "processed_at" IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_deliveries"`);
    await q.query(`DROP TABLE "automation_runs"`);
  }
}
