import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exact filtered totals of GET /leads that are not recounted while nothing changed.
 *
 * - `lead_list_writes`: one row per statement that inserted, updated or deleted leads of a workspace (statement
 *   triggers). A workspace's version is `sum(n)` over its rows as the reader's snapshot sees them. Snapshots of one
 *   server are nested (a later one sees every transaction an earlier one saw), so two snapshots with the same sum saw
 *   the same committed lead writes. Writers only INSERT (no shared row to lock: no queue, no deadlock with lead
 *   rows); now and then a writer folds the workspace's rows into one (rows others hold are skipped, the sum stays).
 * - `lead_list_totals`: a count computed by GET /leads with the version it was computed at, keyed by the filter.
 *   A reader uses it only when the version is still the workspace's current one.
 * TRUNCATE of leads clears both (versions restart with no totals left to match them).
 * `lead_list_totals` is UNLOGGED: it is a cache (a crash empties it, and totals are counted again), and a GET that
 * keeps a total must not wait for a WAL flush at its commit.
 */
export class LeadListTotals1764002000200 implements MigrationInterface {
  name = 'LeadListTotals1764002000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "lead_list_writes" (
        "workspace_id" integer NOT NULL,
        "n" bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX "IDX_lead_list_writes_ws" ON "lead_list_writes" ("workspace_id")`);
    await q.query(`
      CREATE UNLOGGED TABLE "lead_list_totals" (
        "workspace_id" integer NOT NULL,
        "key" text NOT NULL,
        "version" bigint NOT NULL,
        "total" integer NOT NULL,
        PRIMARY KEY ("workspace_id", "key")
      )`);
    await q.query(`
      CREATE FUNCTION "leads_list_write"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "lead_list_writes" ("workspace_id", "n") SELECT DISTINCT "workspace_id", 1 FROM changed;
        IF random() < 1.0 / 32 THEN
          WITH gone AS (
            DELETE FROM "lead_list_writes" w
             WHERE w.ctid = ANY (ARRAY(
               SELECT x.ctid FROM "lead_list_writes" x
                WHERE x."workspace_id" IN (SELECT DISTINCT "workspace_id" FROM changed)
                FOR UPDATE SKIP LOCKED))
            RETURNING w."workspace_id", w."n")
          INSERT INTO "lead_list_writes" ("workspace_id", "n")
          SELECT "workspace_id", sum("n") FROM gone GROUP BY "workspace_id";
        END IF;
        RETURN NULL;
      END $$`);
    for (const [op, ref] of [
      ['insert', 'NEW'],
      ['update', 'NEW'],
      ['delete', 'OLD'],
    ])
      await q.query(`
        CREATE TRIGGER "leads_list_write_${op}" AFTER ${op.toUpperCase()} ON "leads"
        REFERENCING ${ref} TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION "leads_list_write"()`);
    await q.query(`
      CREATE FUNCTION "leads_list_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM "lead_list_writes"; DELETE FROM "lead_list_totals"; RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER "leads_list_truncate" AFTER TRUNCATE ON "leads"
      FOR EACH STATEMENT EXECUTE FUNCTION "leads_list_truncate"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate'])
      await q.query(`DROP TRIGGER "leads_list_${op === 'truncate' ? 'truncate' : `write_${op}`}" ON "leads"`);
    await q.query(`DROP FUNCTION "leads_list_write"()`);
    await q.query(`DROP FUNCTION "leads_list_truncate"()`);
    await q.query(`DROP TABLE "lead_list_totals"`);
    await q.query(`DROP TABLE "lead_list_writes"`);
  }
}
