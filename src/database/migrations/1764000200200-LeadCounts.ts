import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exact per-workspace lead counts, so the unfiltered GET /leads does not count every lead of the workspace on
 * each request (an index-only scan of 1M entries is ~100 ms). Maintained by statement-level triggers in the
 * writing transaction, so the sum is exactly the number of leads visible to the reader's snapshot. Spread over
 * 16 shards (by backend pid) so concurrent inserts do not queue on one hot row.
 */
export class LeadCounts1764000200200 implements MigrationInterface {
  name = 'LeadCounts1764000200200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE "leads" IN SHARE MODE`); // no write between the triggers and the backfill
    await q.query(`
      CREATE TABLE "lead_counts" (
        "workspace_id" integer NOT NULL,
        "shard" smallint NOT NULL,
        "n" bigint NOT NULL DEFAULT 0,
        PRIMARY KEY ("workspace_id", "shard")
      )`);
    for (const [op, table, sign] of [
      ['insert', 'new_rows', '+'],
      ['delete', 'old_rows', '-'],
    ]) {
      await q.query(`
        CREATE FUNCTION "leads_count_${op}"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO "lead_counts" ("workspace_id", "shard", "n")
          SELECT "workspace_id", pg_backend_pid() % 16, ${sign}count(*) FROM ${table}
           GROUP BY "workspace_id" ORDER BY "workspace_id"
          ON CONFLICT ("workspace_id", "shard") DO UPDATE SET "n" = "lead_counts"."n" + EXCLUDED."n";
          RETURN NULL;
        END $$`);
      await q.query(`
        CREATE TRIGGER "leads_count_${op}" AFTER ${op.toUpperCase()} ON "leads"
        REFERENCING ${op === 'insert' ? 'NEW' : 'OLD'} TABLE AS ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION "leads_count_${op}"()`);
    }
    await q.query(`
      CREATE FUNCTION "leads_count_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM "lead_counts"; RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER "leads_count_truncate" AFTER TRUNCATE ON "leads"
      FOR EACH STATEMENT EXECUTE FUNCTION "leads_count_truncate"()`);
    await q.query(
      `INSERT INTO "lead_counts" ("workspace_id", "shard", "n")
       SELECT "workspace_id", 0, count(*) FROM "leads" GROUP BY "workspace_id"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER "leads_count_${op}" ON "leads"`);
      await q.query(`DROP FUNCTION "leads_count_${op}"()`);
    }
    await q.query(`DROP TABLE "lead_counts"`);
  }
}
