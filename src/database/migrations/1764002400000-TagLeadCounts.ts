import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exact per-tag lead counts (`leads_count` of the tag routes), so listing tags does not count every lead_tags row
 * of each tag on each request: a tag on every lead (an automation's "new-lead") made GET /tags read the whole
 * workspace, and sorting by leads_count counted every tag. Kept like lead_counts: statement-level triggers in the
 * writing transaction (exact in every snapshot), spread over 16 shards (by backend pid) so concurrent writers do
 * not queue on one row. A tag's deletion removes its counts (cascade); the lead_tags rows its deletion cascades to
 * are then not counted down, since their tag is already gone.
 */
export class TagLeadCounts1764002400000 implements MigrationInterface {
  name = 'TagLeadCounts1764002400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE "lead_tags" IN SHARE MODE`); // no write between the triggers and the backfill
    await q.query(`
      CREATE TABLE "tag_lead_counts" (
        "tag_id" integer NOT NULL REFERENCES "tags" ("id") ON DELETE CASCADE,
        "shard" smallint NOT NULL,
        "n" bigint NOT NULL DEFAULT 0,
        PRIMARY KEY ("tag_id", "shard")
      )`);
    // An inserted row's tag exists (foreign key); a deleted row's may be going with it (the cascade).
    for (const [op, table, sign, kept] of [
      ['insert', 'new_rows', '+', 'true'],
      ['delete', 'old_rows', '-', `EXISTS (SELECT 1 FROM "tags" t WHERE t."id" = r."tag_id")`],
    ]) {
      await q.query(`
        CREATE FUNCTION "lead_tags_count_${op}"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO "tag_lead_counts" ("tag_id", "shard", "n")
          SELECT r."tag_id", pg_backend_pid() % 16, ${sign}count(*) FROM ${table} r
           WHERE ${kept}
           GROUP BY r."tag_id" ORDER BY r."tag_id"
          ON CONFLICT ("tag_id", "shard") DO UPDATE SET "n" = "tag_lead_counts"."n" + EXCLUDED."n";
          RETURN NULL;
        END $$`);
      await q.query(`
        CREATE TRIGGER "lead_tags_count_${op}" AFTER ${op.toUpperCase()} ON "lead_tags"
        REFERENCING ${op === 'insert' ? 'NEW' : 'OLD'} TABLE AS ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION "lead_tags_count_${op}"()`);
    }
    // A lead_tags row never moves to another tag or lead: an update would slip past the counts.
    await q.query(`
      CREATE FUNCTION "lead_tags_no_update"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'lead_tags rows are inserted and deleted, never updated'; END $$`);
    await q.query(`
      CREATE TRIGGER "lead_tags_no_update" BEFORE UPDATE OF "tag_id", "lead_id" ON "lead_tags"
      FOR EACH STATEMENT EXECUTE FUNCTION "lead_tags_no_update"()`);
    await q.query(`
      CREATE FUNCTION "lead_tags_count_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM "tag_lead_counts"; RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER "lead_tags_count_truncate" AFTER TRUNCATE ON "lead_tags"
      FOR EACH STATEMENT EXECUTE FUNCTION "lead_tags_count_truncate"()`);
    await q.query(
      `INSERT INTO "tag_lead_counts" ("tag_id", "shard", "n")
       SELECT "tag_id", 0, count(*) FROM "lead_tags" GROUP BY "tag_id"`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'delete', 'truncate', 'no_update']) {
      const name = op === 'no_update' ? 'lead_tags_no_update' : `lead_tags_count_${op}`;
      await q.query(`DROP TRIGGER "${name}" ON "lead_tags"`);
      await q.query(`DROP FUNCTION "${name}"()`);
    }
    await q.query(`DROP TABLE "tag_lead_counts"`);
  }
}
