import { MigrationInterface, QueryRunner } from 'typeorm';

/** Advisory lock class (ADVISORY_LOCK.leadChangesUpkeep): one upkeep of a workspace's change log at a time. */
const UPKEEP_LOCK = 7142201;

/**
 * The change log's upkeep (migration LeadListChanges) removed "changes older than two minutes" by their `at`, which
 * no index orders: each run read every change the workspace had (a soak: 1,850 pages, 12 ms, in a writer's
 * transaction, 1 in 64 writes) to delete a few. Now it removes by transaction id, a range of the log's index: a run
 * notes the current transaction id and time (`mark`, `mark_at`), and a run two minutes later removes the changes
 * below that mark, raises the horizon to it and notes a new mark. Changes are kept two to four minutes.
 */
export class LeadChangesUpkeepByXid1764002500000 implements MigrationInterface {
  name = 'LeadChangesUpkeepByXid1764002500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "lead_changes_horizon" ADD COLUMN "mark" xid8, ADD COLUMN "mark_at" timestamptz`,
    );
    await q.query(`ALTER TABLE "lead_changes_horizon" ALTER COLUMN "horizon" SET DEFAULT '0'::xid8`);
    await q.query(`
      CREATE OR REPLACE FUNCTION "lead_changes_upkeep"(wss integer[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE ws integer; noted xid8; noted_at timestamptz;
      BEGIN
        FOREACH ws IN ARRAY wss LOOP
          CONTINUE WHEN random() >= 1.0 / 64 OR NOT pg_try_advisory_xact_lock(${UPKEEP_LOCK}, ws);
          SELECT "mark", "mark_at" INTO noted, noted_at FROM "lead_changes_horizon" WHERE "workspace_id" = ws;
          CONTINUE WHEN noted_at > now() - interval '2 minutes';
          IF noted IS NOT NULL THEN
            -- A transaction below the mark still running adds its changes later, below the horizon: a total that
            -- needs them has an xmin below the horizon too, and is counted anew.
            DELETE FROM "lead_changes" WHERE "workspace_id" = ws AND "xid" < noted;
            PERFORM "lead_changes_raise_horizon"(ws, noted);
          END IF;
          INSERT INTO "lead_changes_horizon" ("workspace_id", "mark", "mark_at")
          VALUES (ws, pg_current_xact_id(), now())
          ON CONFLICT ("workspace_id") DO UPDATE SET "mark" = EXCLUDED."mark", "mark_at" = EXCLUDED."mark_at";
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION "lead_changes_upkeep"(wss integer[]) RETURNS void LANGUAGE plpgsql AS $$
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
    await q.query(`ALTER TABLE "lead_changes_horizon" ALTER COLUMN "horizon" DROP DEFAULT`);
    await q.query(`ALTER TABLE "lead_changes_horizon" DROP COLUMN "mark", DROP COLUMN "mark_at"`);
  }
}
