import { MigrationInterface, QueryRunner } from 'typeorm';

/** The search text of a lead row: the expression of IDX_leads_search_trgm (as of this migration). */
const TEXT = (a: string) =>
  `lower(coalesce(${a}."first_name", '') || ' ' || coalesce(${a}."last_name", '') || ' ' || coalesce(${a}."email", '')` +
  ` || ' ' || coalesce(${a}."phone", '') || ' ' || coalesce(${a}."phone_digits", ''))`;

/**
 * Exact totals of `GET /leads?search=T` for terms of 1 or 2 characters (no trigram: counting them read the whole
 * workspace on every keystroke).
 *
 * `lead_search_fragments` holds, per workspace and fragment, how many leads' search text contains the fragment, as
 * the sum of `n` over its rows. A fragment is a distinct substring of 1 or 2 characters of the lowered search text
 * without a space (a trimmed term of at most 2 characters never holds one). The text of a lead contains the term
 * exactly when the term is one of its fragments, so the count of `T` is the number of leads that `LIKE '%T%'` finds.
 *
 * Same pattern as lead_list_writes: statement triggers append rows in the writing transaction (inserts +1 per
 * fragment of each new lead, deletes −1, updates only for leads whose search text changed, netted per fragment), so
 * the sum is exact for every snapshot and no writer waits on a shared row. Now and then a writer folds the rows of
 * the fragments it touched into one per fragment (rows others hold are skipped; the sum stays). TRUNCATE clears.
 */
export class LeadSearchFragments1764002100000 implements MigrationInterface {
  name = 'LeadSearchFragments1764002100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE "leads" IN SHARE MODE`); // no write between the triggers and the backfill
    await q.query(`
      CREATE TABLE "lead_search_fragments" (
        "workspace_id" integer NOT NULL,
        "fragment" text NOT NULL,
        "n" bigint NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION "lead_search_fragments_of"(t text) RETURNS SETOF text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT DISTINCT f FROM (
          SELECT substr(t, i, 1) AS f FROM generate_series(1, length(t)) i
          UNION ALL
          SELECT substr(t, i, 2) FROM generate_series(1, length(t) - 1) i) s
         WHERE position(' ' in f) = 0
      $$`);
    const delta = (rows: string, sign: string) =>
      `SELECT r."workspace_id", f, ${sign}1 AS n FROM ${rows} r, "lead_search_fragments_of"(${TEXT('r')}) f`;
    // 1 in 32 statements also folds the rows of the fragments it touches into one row per fragment.
    const body = (deltas: string) => `
      BEGIN
        IF random() >= 1.0 / 32 THEN
          INSERT INTO "lead_search_fragments" ("workspace_id", "fragment", "n")
          SELECT "workspace_id", f, sum(n) FROM (${deltas}) d GROUP BY "workspace_id", f HAVING sum(n) <> 0;
        ELSE
          WITH a AS (SELECT "workspace_id", f AS "fragment", sum(n) AS n FROM (${deltas}) d GROUP BY "workspace_id", f),
               gone AS (
                 DELETE FROM "lead_search_fragments" x
                  WHERE x.ctid = ANY (ARRAY(
                    SELECT y.ctid FROM "lead_search_fragments" y
                      JOIN a ON y."workspace_id" = a."workspace_id" AND y."fragment" = a."fragment"
                     FOR UPDATE OF y SKIP LOCKED))
                 RETURNING x."workspace_id", x."fragment", x."n")
          INSERT INTO "lead_search_fragments" ("workspace_id", "fragment", "n")
          SELECT "workspace_id", "fragment", sum(n) FROM (SELECT * FROM a UNION ALL SELECT * FROM gone) s
           GROUP BY "workspace_id", "fragment" HAVING sum(n) <> 0;
        END IF;
        RETURN NULL;
      END`;
    const fn = async (op: string, deltas: string) =>
      q.query(`
        CREATE FUNCTION "leads_fragments_${op}"() RETURNS trigger LANGUAGE plpgsql AS $$
        ${body(deltas)} $$`);
    await fn('insert', delta('new_rows', '+'));
    await fn('delete', delta('old_rows', '-'));
    // Only leads whose search text (or workspace) changed: most updates (status, stage, score…) write nothing.
    await fn(
      'update',
      `WITH ch AS (
         SELECT o."workspace_id" AS ow, ${TEXT('o')} AS os, n."workspace_id" AS nw, ${TEXT('n')} AS ns
           FROM old_rows o JOIN new_rows n ON n."id" = o."id")
       SELECT ow AS "workspace_id", f, -1 AS n FROM ch, "lead_search_fragments_of"(os) f WHERE os <> ns OR ow <> nw
       UNION ALL
       SELECT nw, f, 1 FROM ch, "lead_search_fragments_of"(ns) f WHERE os <> ns OR ow <> nw`,
    );
    for (const [op, ref, rows] of [
      ['insert', 'NEW', 'new_rows'],
      ['delete', 'OLD', 'old_rows'],
    ])
      await q.query(`
        CREATE TRIGGER "leads_fragments_${op}" AFTER ${op.toUpperCase()} ON "leads"
        REFERENCING ${ref} TABLE AS ${rows}
        FOR EACH STATEMENT EXECUTE FUNCTION "leads_fragments_${op}"()`);
    await q.query(`
      CREATE TRIGGER "leads_fragments_update" AFTER UPDATE ON "leads"
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "leads_fragments_update"()`);
    await q.query(`
      CREATE FUNCTION "leads_fragments_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM "lead_search_fragments"; RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER "leads_fragments_truncate" AFTER TRUNCATE ON "leads"
      FOR EACH STATEMENT EXECUTE FUNCTION "leads_fragments_truncate"()`);
    await q.query(`
      INSERT INTO "lead_search_fragments" ("workspace_id", "fragment", "n")
      SELECT l."workspace_id", f, count(*) FROM "leads" l, "lead_search_fragments_of"(${TEXT('l')}) f
       GROUP BY l."workspace_id", f`);
    await q.query(
      `CREATE INDEX "IDX_lead_search_fragments" ON "lead_search_fragments" ("workspace_id", "fragment")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER "leads_fragments_${op}" ON "leads"`);
      await q.query(`DROP FUNCTION "leads_fragments_${op}"()`);
    }
    await q.query(`DROP TABLE "lead_search_fragments"`);
    await q.query(`DROP FUNCTION "lead_search_fragments_of"(text)`);
  }
}
