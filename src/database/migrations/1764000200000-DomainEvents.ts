import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of domain events (lead.created, lead.updated, …): written in the same transaction as the change,
 * so an event exists exactly when its change committed; consumers (automations) mark rows processed.
 */
export class DomainEvents1764000200000 implements MigrationInterface {
  name = 'DomainEvents1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "domain_events" (
        "id" BIGSERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "type" varchar(64) NOT NULL,
        "lead_id" integer,
        "payload" jsonb NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "processed_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0
      )`);
    // The consumer's queue: unprocessed events in order.
    await q.query(
      `CREATE INDEX "IDX_domain_events_unprocessed" ON "domain_events" ("id") WHERE "processed_at" IS NULL`,
    );
    await q.query(`CREATE INDEX "IDX_domain_events_lead" ON "domain_events" ("lead_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "domain_events"`);
  }
}
