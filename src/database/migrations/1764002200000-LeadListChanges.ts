import { MigrationInterface, QueryRunner } from 'typeorm';
import { LeadListTotals1764002000200 } from './1764002000200-LeadListTotals';

/** Statements changing more leads than this invalidate the workspace's kept totals instead of logging each lead. */
const LOGGED_PER_STATEMENT = 500;

/** Table comment prefix of the tables backups leave out (src/database/logical-copy.ts reads it). */
const CLUSTER_LOCAL = 'cluster-local';

/** Advisory lock class (ADVISORY_LOCK.leadChangesUpkeep): one upkeep of a workspace's change log at a time. */
const UPKEEP_LOCK = 7142201;

/**
 * Kept totals of GET /leads that writes carry forward instead of invalidating (replaces lead_list_writes).
 *
 * - `lead_changes`: per lead written, its row before and after (jsonb; NULL for an insert's before and a delete's
 *   after) with the writing transaction's id, appended by statement triggers. No shared row, so no writer waits.
 * - `lead_list_totals.snap`: the snapshot its total was counted in. A later reader's snapshot contains that one
 *   (the total was committed before the reader began), so the reader's exact total is the kept one plus, over the
 *   changes it sees that `snap` did not (`NOT pg_visible_in_snapshot(xid, snap)`), the leads that match after
 *   minus those that matched before.
 * - `lead_changes_horizon`: changes with a transaction id below it may be gone, so a total whose snapshot's xmin is
 *   below it is not used. Now and then a writer removes its workspace's changes older than two minutes and raises
 *   the horizon past them; a statement that changes many leads raises it past itself instead of logging them.
 * TRUNCATE of leads clears all three.
 *
 * Transaction ids mean something only in the cluster that assigned them: after the database moves to another
 * cluster (pg_dump and restore, a backup restored elsewhere) the log, horizons and kept totals would mislead.
 * `lead_changes_cluster` names the cluster they belong to; `lead_changes_adopt_cluster()`, run after migrations at
 * every start, clears them when the cluster is another one.
 */
export class LeadListChanges1764002200000 implements MigrationInterface {
  name = 'LeadListChanges1764002200000';

  async up(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate'])
      await q.query(`DROP TRIGGER "leads_list_${op === 'truncate' ? 'truncate' : `write_${op}`}" ON "leads"`);
    await q.query(`DROP FUNCTION "leads_list_write"()`);
    await q.query(`DROP FUNCTION "leads_list_truncate"()`);
    await q.query(`DROP TABLE "lead_list_writes"`);
    await q.query(`DELETE FROM "lead_list_totals"`);
    await q.query(`ALTER TABLE "lead_list_totals" DROP COLUMN "version"`);
    await q.query(`ALTER TABLE "lead_list_totals" ADD COLUMN "snap" pg_snapshot NOT NULL`);
    await q.query(`
      CREATE TABLE "lead_changes" (
        "workspace_id" integer NOT NULL,
        "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
        "at" timestamptz NOT NULL DEFAULT now(),
        "before" jsonb,
        "after" jsonb
      )`);
    await q.query(`CREATE INDEX "IDX_lead_changes_ws_xid" ON "lead_changes" ("workspace_id", "xid")`);
    await q.query(`
      CREATE TABLE "lead_changes_horizon" (
        "workspace_id" integer PRIMARY KEY,
        "horizon" xid8 NOT NULL
      )`);
    await q.query(`CREATE TABLE "lead_changes_cluster" ("system_identifier" bigint NOT NULL)`);
    await q.query(`
      CREATE FUNCTION "lead_changes_adopt_cluster"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE here bigint := (SELECT system_identifier FROM pg_control_system());
      BEGIN
        IF (SELECT "system_identifier" FROM "lead_changes_cluster") IS DISTINCT FROM here THEN
          LOCK TABLE "lead_changes_cluster" IN EXCLUSIVE MODE; -- instances starting together: one clears
          IF (SELECT "system_identifier" FROM "lead_changes_cluster") IS DISTINCT FROM here THEN
            TRUNCATE "lead_changes", "lead_changes_horizon", "lead_list_totals";
            DELETE FROM "lead_changes_cluster";
            INSERT INTO "lead_changes_cluster" ("system_identifier") VALUES (here);
          END IF;
        END IF;
      END $$`);
    // Not copied by backups and copies (src/database/logical-copy.ts): they mean nothing in another cluster.
    for (const table of ['lead_changes', 'lead_changes_horizon', 'lead_changes_cluster', 'lead_list_totals'])
      await q.query(
        `COMMENT ON TABLE "${table}" IS '${CLUSTER_LOCAL}: bound to this cluster''s transaction ids'`,
      );
    await q.query(`SELECT "lead_changes_adopt_cluster"()`);
    await q.query(`
      CREATE FUNCTION "lead_changes_raise_horizon"(ws integer, h xid8) RETURNS void LANGUAGE sql AS $$
        INSERT INTO "lead_changes_horizon" ("workspace_id", "horizon") VALUES (ws, h)
        ON CONFLICT ("workspace_id") DO UPDATE SET "horizon" = greatest("lead_changes_horizon"."horizon", EXCLUDED."horizon")
      $$`);
    // 1 in 64 statements per workspace (and only one at a time) removes changes no kept total can still need.
    await q.query(`
      CREATE FUNCTION "lead_changes_upkeep"(wss integer[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE ws integer; newest xid8;
      BEGIN
        FOREACH ws IN ARRAY wss LOOP
          CONTINUE WHEN random() >= 1.0 / 64 OR NOT pg_try_advisory_xact_lock(${UPKEEP_LOCK}, ws);
          WITH gone AS (DELETE FROM "lead_changes" WHERE "workspace_id" = ws AND "at" < now() - interval '2 minutes'
                        RETURNING "xid")
          SELECT max("xid") INTO newest FROM gone;
          IF newest IS NOT NULL THEN
            PERFORM "lead_changes_raise_horizon"(ws, (newest::text::bigint + 1)::text::xid8);
          END IF;
        END LOOP;
      END $$`);
    const fn = async (op: string, rows: string, logged: string) =>
      q.query(`
        CREATE FUNCTION "leads_changes_${op}"() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE wss integer[] := ARRAY(SELECT DISTINCT "workspace_id" FROM ${rows});
        BEGIN
          IF (SELECT count(*) FROM (SELECT 1 FROM ${rows} LIMIT ${LOGGED_PER_STATEMENT + 1}) s) > ${LOGGED_PER_STATEMENT} THEN
            PERFORM "lead_changes_raise_horizon"(ws, (pg_current_xact_id()::text::bigint + 1)::text::xid8)
               FROM unnest(wss) ws;
          ELSE
            INSERT INTO "lead_changes" ("workspace_id", "before", "after") ${logged};
          END IF;
          PERFORM "lead_changes_upkeep"(wss);
          RETURN NULL;
        END $$`);
    await fn('insert', 'new_rows', `SELECT n."workspace_id", NULL, to_jsonb(n) FROM new_rows n`);
    await fn('delete', 'old_rows', `SELECT o."workspace_id", to_jsonb(o), NULL FROM old_rows o`);
    await fn(
      'update',
      'new_rows',
      `SELECT n."workspace_id", to_jsonb(o), to_jsonb(n) FROM old_rows o JOIN new_rows n ON n."id" = o."id"`,
    );
    for (const [op, referencing] of [
      ['insert', 'NEW TABLE AS new_rows'],
      ['update', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['delete', 'OLD TABLE AS old_rows'],
    ])
      await q.query(`
        CREATE TRIGGER "leads_changes_${op}" AFTER ${op.toUpperCase()} ON "leads"
        REFERENCING ${referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION "leads_changes_${op}"()`);
    await q.query(`
      CREATE FUNCTION "leads_changes_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM "lead_changes"; DELETE FROM "lead_changes_horizon"; DELETE FROM "lead_list_totals";
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "leads_changes_truncate" AFTER TRUNCATE ON "leads"
      FOR EACH STATEMENT EXECUTE FUNCTION "leads_changes_truncate"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER "leads_changes_${op}" ON "leads"`);
      await q.query(`DROP FUNCTION "leads_changes_${op}"()`);
    }
    await q.query(`DROP FUNCTION "lead_changes_upkeep"(integer[])`);
    await q.query(`DROP FUNCTION "lead_changes_adopt_cluster"()`);
    await q.query(`DROP TABLE "lead_changes_cluster"`);
    await q.query(`DROP FUNCTION "lead_changes_raise_horizon"(integer, xid8)`);
    await q.query(`DROP TABLE "lead_changes_horizon"`);
    await q.query(`DROP TABLE "lead_changes"`);
    await q.query(`DROP TABLE "lead_list_totals"`);
    await new LeadListTotals1764002000200().up(q);
  }
}
