import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrations that do something (issue 15):
 * - each integration gets an unguessable receiver token (the public receiver URLs of Facebook and Google Ads);
 * - `webhook_deliveries` becomes the one outbound queue: besides the `send_webhook` action (`kind` webhook) it
 *   carries webhook subscriptions, Mailgun e-mails and Slack messages, tied to their integration (a deleted
 *   integration leaves its deliveries without one: they are cancelled instead of sent), and knows its workspace
 *   (a subscription's delivery has no automation run);
 * - `integration_receipts`: what the receivers took in, one row per outside lead id (idempotency), also the
 *   durable job that fetches a Facebook lead from the Graph API;
 * - stored configs follow the new catalog: Zapier hooks become webhook subscriptions to `lead.created`,
 *   webhook integrations subscribe to `lead.created`, Google Ads keeps only what its webhook needs.
 */
export class IntegrationsAtWork1764001500000 implements MigrationInterface {
  name = 'IntegrationsAtWork1764001500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integrations" ADD COLUMN "receiver_token" varchar(64)`);
    await q.query(
      `UPDATE "integrations" SET "receiver_token" = replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`,
    );
    await q.query(`ALTER TABLE "integrations" ALTER COLUMN "receiver_token" SET NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_integrations_receiver_token" ON "integrations" ("receiver_token")`,
    );
    await q.query(`
      UPDATE "integrations" SET "type" = 'webhook',
             "config" = jsonb_build_object('url', "config"->'hook_url', 'event_types', '["lead.created"]'::jsonb)
       WHERE "type" = 'zapier'`);
    await q.query(`
      UPDATE "integrations" SET "config" = "config" || '{"event_types": ["lead.created"]}'::jsonb
       WHERE "type" = 'webhook' AND NOT "config" ? 'event_types'`);
    await q.query(`
      UPDATE "integrations" SET "config" = "config" - 'customer_id' - 'developer_token'
       WHERE "type" = 'google_ads'`);

    await q.query(`ALTER TABLE "webhook_deliveries" ALTER COLUMN "automation_run_id" DROP NOT NULL`);
    await q.query(`ALTER TABLE "webhook_deliveries" ADD COLUMN "workspace_id" integer`);
    await q.query(`
      UPDATE "webhook_deliveries" d SET "workspace_id" = r."workspace_id"
        FROM "automation_runs" r WHERE r."id" = d."automation_run_id"`);
    await q.query(`
      ALTER TABLE "webhook_deliveries"
        ALTER COLUMN "workspace_id" SET NOT NULL,
        ADD CONSTRAINT "webhook_deliveries_workspace_id_fkey" FOREIGN KEY ("workspace_id")
          REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        ADD COLUMN "integration_id" integer
          CONSTRAINT "webhook_deliveries_integration_id_fkey" REFERENCES "integrations" ("id") ON DELETE SET NULL,
        ADD COLUMN "kind" varchar(16) NOT NULL DEFAULT 'webhook'
          CONSTRAINT "webhook_deliveries_kind_check" CHECK ("kind" IN ('webhook', 'subscription', 'email', 'slack')),
        DROP CONSTRAINT "webhook_deliveries_status_check",
        ADD CONSTRAINT "webhook_deliveries_status_check"
          CHECK ("status" IN ('pending', 'delivered', 'failed', 'cancelled'))`);
    await q.query(
      `CREATE INDEX "IDX_webhook_deliveries_integration" ON "webhook_deliveries" ("integration_id", "created_at")
        WHERE "integration_id" IS NOT NULL`,
    );
    // The admin overview's failing deliveries of a workspace, newest first.
    await q.query(
      `CREATE INDEX "IDX_webhook_deliveries_failed" ON "webhook_deliveries" ("workspace_id", "updated_at")
        WHERE "status" = 'failed'`,
    );

    await q.query(`
      CREATE TABLE "integration_receipts" (
        "id" uuid PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "integration_id" integer NOT NULL REFERENCES "integrations" ("id") ON DELETE CASCADE,
        "kind" varchar(16) NOT NULL
          CONSTRAINT "integration_receipts_kind_check" CHECK ("kind" IN ('facebook_lead', 'google_ads_lead')),
        "external_id" varchar(255) NOT NULL,
        "payload" jsonb NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'pending'
          CONSTRAINT "integration_receipts_status_check" CHECK ("status" IN ('pending', 'processed', 'failed')),
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "last_status_code" integer,
        "last_error" text,
        "lead_id" integer REFERENCES "leads" ("id") ON DELETE SET NULL,
        "is_duplicate" boolean,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_integration_receipts_external" UNIQUE ("integration_id", "external_id")
      )`);
    await q.query(
      `CREATE INDEX "IDX_integration_receipts_due" ON "integration_receipts" ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await q.query(
      `CREATE INDEX "IDX_integration_receipts_integration" ON "integration_receipts" ("integration_id", "created_at")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "integration_receipts"`);
    await q.query(`DROP INDEX "IDX_webhook_deliveries_failed"`);
    await q.query(`DROP INDEX "IDX_webhook_deliveries_integration"`);
    await q.query(
      `DELETE FROM "webhook_deliveries" WHERE "automation_run_id" IS NULL OR "kind" <> 'webhook'`,
    );
    await q.query(`
      ALTER TABLE "webhook_deliveries"
        DROP CONSTRAINT "webhook_deliveries_status_check",
        DROP COLUMN "kind", DROP COLUMN "integration_id", DROP COLUMN "workspace_id",
        ALTER COLUMN "automation_run_id" SET NOT NULL`);
    await q.query(`UPDATE "webhook_deliveries" SET "status" = 'failed' WHERE "status" = 'cancelled'`);
    await q.query(`
      ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_status_check"
        CHECK ("status" IN ('pending', 'delivered', 'failed'))`);
    await q.query(`DROP INDEX "UQ_integrations_receiver_token"`);
    await q.query(`ALTER TABLE "integrations" DROP COLUMN "receiver_token"`);
  }
}
