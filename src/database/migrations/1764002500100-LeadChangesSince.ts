import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The changes a kept total's snapshot did not see, read through the log's index whatever the statistics say. Inside
 * GET /leads' one statement the lower bound (the kept snapshot's xmin) is unknown when the statement is planned, so
 * the planner guessed a third of the log matched; after an ANALYZE of a log of a few thousand rows it chose to read
 * the whole log on every carry (a soak: 4,564 pages and ~15 ms per filtered list, from the first upkeep on). Here the
 * bound is a value when the query is planned (a custom plan each call), so the estimate is a few rows and the plan
 * an index range.
 */
export class LeadChangesSince1764002500100 implements MigrationInterface {
  name = 'LeadChangesSince1764002500100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "lead_changes_since"(ws integer, snap pg_snapshot, most integer)
      RETURNS TABLE ("before" jsonb, "after" jsonb) LANGUAGE plpgsql STABLE
      SET plan_cache_mode = force_custom_plan AS $$
      DECLARE since xid8 := pg_snapshot_xmin(snap);
      BEGIN
        RETURN QUERY SELECT x."before", x."after" FROM "lead_changes" x
          WHERE x."workspace_id" = ws AND x."xid" >= since AND NOT pg_visible_in_snapshot(x."xid", snap)
          ORDER BY x."xid" LIMIT most;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "lead_changes_since"(integer, pg_snapshot, integer)`);
  }
}
