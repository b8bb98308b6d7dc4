import { createHash } from 'node:crypto';
import { sqlDirection } from '../common/crud/sorting';
import { updatedWindow } from '../common/crud/sync-window';
import { likePattern } from '../common/crud/like-pattern';
import { dateBound } from '../common/validation/iso-date';
import type { LeadFiltersDto, LeadSort } from './dto/lead-filters.dto';

/**
 * What `search` matches: must stay the exact expression of the trigram index IDX_leads_search_trgm
 * (migration 1764000200100), or the index is not used.
 */
export const SEARCH_EXPRESSION = (a: string) =>
  `lower(coalesce(${a}.first_name, '') || ' ' || coalesce(${a}.last_name, '') || ' ' || coalesce(${a}.email, '')` +
  ` || ' ' || coalesce(${a}.phone, '') || ' ' || coalesce(${a}.phone_digits, ''))`;

/** Sort expressions; each has an index (workspace_id, expression, id). */
const SORT_EXPRESSION: Record<LeadSort, (a: string) => string> = {
  created_at: (a) => `${a}.created_at`,
  updated_at: (a) => `${a}.updated_at`,
  lead_score: (a) => `${a}.lead_score`,
  first_name: (a) => `lower(${a}.first_name)`,
  last_name: (a) => `lower(${a}.last_name)`,
  email: (a) => `lower(${a}.email)`,
};

const PHONE_LIKE = /^[+\d\s().-]+$/;

/** The lead's tag names, sorted, as one correlated sub-select of the same statement (no extra round trip). */
export const TAGS_OF = (alias: string) =>
  `ARRAY(SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id
          WHERE lt.lead_id = ${alias}.id ORDER BY lower(t.name), t.name) AS tags`;

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * GET /leads as ONE statement (one round trip): the total of the filtered set and the requested page with each
 * lead's tags. Always returns at least one row (total with null lead columns when the page is empty).
 */
export function buildListQuery(workspaceId: number, q: LeadFiltersDto): SqlQuery {
  const params: unknown[] = [workspaceId];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['l.workspace_id = $1'];
  if (q.source !== undefined) where.push(`l.source = ${param(q.source)}`);
  if (q.status !== undefined) where.push(`l.status = ${param(q.status)}`);
  if (q.pipeline_id !== undefined) where.push(`l.pipeline_id = ${param(q.pipeline_id)}`);
  if (q.stage_id !== undefined) where.push(`l.pipeline_stage_id = ${param(q.stage_id)}`);
  if (q.assigned_user_id !== undefined) where.push(`l.assigned_user_id = ${param(q.assigned_user_id)}`);
  if (q.starred !== undefined) where.push(q.starred ? 'l.starred' : 'NOT l.starred');
  if (q.tag !== undefined)
    where.push(
      `l.id IN (SELECT lt.lead_id FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id
                 WHERE t.workspace_id = $1 AND lower(t.name) = lower(${param(q.tag)}))`,
    );
  let matches: ((a: string) => string) | undefined;
  if (q.search) {
    const term = q.search.trim();
    const patterns = [likePattern(term)];
    const digits = term.replace(/\D/g, '');
    if (PHONE_LIKE.test(term) && digits.length >= 3 && digits !== term) patterns.push(likePattern(digits));
    const named = patterns.map(param);
    matches = (a) => `(${named.map((p) => `${SEARCH_EXPRESSION(a)} LIKE lower(${p})`).join(' OR ')})`;
  }
  if (q.created_after !== undefined)
    where.push(`l.created_at >= ${param(dateBound(q.created_after, 'after').sql)}`);
  if (q.created_before !== undefined) {
    const bound = dateBound(q.created_before, 'before');
    where.push(`l.created_at ${bound.inclusive ? '<=' : '<'} ${param(bound.sql)}`);
  }

  where.push(...updatedWindow('l.updated_at', q, param));

  const dir = sqlDirection(q.direction);
  const order = (a: string) => `${SORT_EXPRESSION[q.sort](a)} ${dir}, ${a}.id ${dir}`;
  const base = where.join(' AND ');
  const filter = matches ? `${base} AND ${matches('l')}` : base;
  // `search` alone with a term of 1–2 characters: counted from lead_search_fragments (see migration
  // LeadSearchFragments) — such a term has no trigram, counting it reads the whole workspace.
  const term = q.search?.trim() ?? '';
  const fragment =
    where.length === 1 && [...term].length >= 1 && [...term].length <= SHORT_TERM ? term : undefined;
  const counted = { filter, params: [...params], fragment };
  const limit = param(q.per_page);
  const offset = param((q.page - 1) * q.per_page);
  const select = (page: string) => ({
    sql: `WITH ${totalCtes(q, counted, param)},
          ${page}
          SELECT c.total, p.*, ${TAGS_OF('p')}
            FROM c
            LEFT JOIN page p ON true
           ORDER BY ${order('p')}`,
    params,
  });
  if (!matches)
    return select(
      `page AS (SELECT l.* FROM leads l WHERE ${filter} ORDER BY ${order('l')} LIMIT ${limit} OFFSET ${offset})`,
    );
  // Search. When the term matches many leads, first walk the sort's index through at most WALKED_LEADS leads of
  // the other filters, keeping those the term matches: for a common term the page is among the first few hundred.
  // The walk gives the exact page when it found every lead up to the page's end (or all of the total); otherwise the
  // trigram index finds all the matches, which are sorted (walking further could read the whole workspace when the
  // matches all sit at its far end).
  const end = param(q.page * q.per_page);
  const walked = `(SELECT count(*) FROM walk) IN (${end}, (SELECT total FROM c))`;
  return select(
    `walk AS (
       SELECT s.* FROM (SELECT l.* FROM leads l WHERE ${base} ORDER BY ${order('l')} LIMIT ${WALKED_LEADS}) s
        WHERE (SELECT total FROM c) >= ${WALK_FROM_TOTAL} AND ${matches('s')} ORDER BY ${order('s')} LIMIT ${end}),
     m AS MATERIALIZED (SELECT l.id, ${SORT_EXPRESSION[q.sort]('l')} AS k FROM leads l WHERE ${filter}),
     page AS (
       (SELECT walk.* FROM walk WHERE ${walked} ORDER BY ${order('walk')} OFFSET ${offset})
       UNION ALL
       (SELECT l.* FROM (SELECT m.id FROM m ORDER BY m.k ${dir}, m.id ${dir} LIMIT ${limit} OFFSET ${offset}) f
          JOIN leads l ON l.id = f.id
         WHERE NOT ${walked}))`,
  );
}

/** How many leads (in sort order, other filters applied) a search looks through before it uses the trigram index. */
export const WALKED_LEADS = 10000;

/** Fewer matches than this: the trigram index alone (cheaper than a walk that would not find the page). */
export const WALK_FROM_TOTAL = 500;

/**
 * Totals of at least this many leads are kept in lead_list_totals for a search of more than 3 characters (a rarer
 * term is counted through the trigram index fast enough, and there are too many such terms to keep them all).
 */
export const KEPT_SEARCH_TOTAL = 1000;

/** A kept total is carried forward over at most this many lead changes; past that, the leads are counted again. */
export const CARRIED_CHANGES = 2000;

/** Search terms of at most this many characters (trimmed) are counted from lead_search_fragments. */
export const SHORT_TERM = 2;

/**
 * CTEs ending in `c(total)`: the exact total of the filtered set.
 * - Unfiltered: the count kept by triggers (migration LeadCounts).
 * - Only `search` with a term of 1–2 characters: the fragment count kept by triggers (migration
 *   LeadSearchFragments), exact in every snapshot, so writes do not make it stale.
 * - Filtered: the total kept in lead_list_totals, carried forward over the lead changes made since it was counted
 *   (migration LeadListChanges) and kept again; counted now when none is kept or too much changed. Not with `tag` (a
 *   tag's rename or deletion changes which leads match without writing to leads) nor with a date bound (a sync
 *   client sends a new instant each time: the kept totals would grow without end).
 */
function totalCtes(
  q: LeadFiltersDto,
  counted: { filter: string; params: unknown[]; fragment?: string },
  param: (v: unknown) => string,
): string {
  const { filter, params } = counted;
  if (params.length === 1)
    return `c AS (SELECT coalesce(sum(n), 0)::int AS total FROM lead_counts WHERE workspace_id = $1)`;
  if (counted.fragment !== undefined)
    return `c AS (SELECT coalesce(sum(n), 0)::int AS total FROM lead_search_fragments
                   WHERE workspace_id = $1 AND fragment = lower(${param(counted.fragment)}))`;
  const count = `SELECT count(*)::int FROM leads l WHERE ${filter}`;
  const dated = [q.created_after, q.created_before, q.updated_after, q.updated_before].some(
    (d) => d !== undefined,
  );
  if (q.tag !== undefined || dated) return `c AS (SELECT (${count}) AS total)`;
  const key = param(
    createHash('sha256')
      .update(JSON.stringify([filter, params.slice(1)]))
      .digest('base64'),
  );
  // A short term (no trigram) is counted by reading the whole workspace; there are few such terms, keep them all.
  const kept = q.search && q.search.trim().length > 3 ? `c.total >= ${KEPT_SEARCH_TOTAL}` : 'true';
  // A change's lead before and after, as a leads row the filter (alias l) can read.
  const matching = (row: string) =>
    `(SELECT count(*) FROM jsonb_populate_record(NULL::leads, ${row}) l WHERE ${filter})`;
  return `h AS (SELECT coalesce((SELECT horizon FROM lead_changes_horizon WHERE workspace_id = $1), '0'::xid8) AS horizon),
          hit AS (SELECT t.total, t.snap FROM lead_list_totals t, h
                   WHERE t.workspace_id = $1 AND t.key = ${key} AND pg_snapshot_xmin(t.snap) >= h.horizon),
          -- The changes this statement sees that the kept total's snapshot did not (migration LeadChangesSince).
          ch AS (SELECT x.before, x.after FROM hit, lead_changes_since($1, hit.snap, ${CARRIED_CHANGES + 1}) x),
          d AS (SELECT count(*) AS n, coalesce(sum(${matching('ch.after')} - ${matching('ch.before')}), 0)::int AS delta
                  FROM ch),
          carried AS (SELECT hit.total + d.delta AS total FROM hit, d WHERE d.n <= ${CARRIED_CHANGES}),
          c AS MATERIALIZED (SELECT coalesce((SELECT total FROM carried), (${count})) AS total),
          -- Kept with this statement's snapshot, unless this transaction wrote leads itself (its own changes would
          -- count twice: in the total and again as changes the snapshot does not see as committed).
          kept AS (INSERT INTO lead_list_totals (workspace_id, key, snap, total)
                   SELECT $1, ${key}, pg_current_snapshot(), c.total FROM c, d
                    WHERE (NOT EXISTS (SELECT 1 FROM carried) OR d.n > 0) AND ${kept}
                      AND pg_current_xact_id_if_assigned() IS NULL
                   ON CONFLICT (workspace_id, key) DO UPDATE SET snap = EXCLUDED.snap, total = EXCLUDED.total),
          -- Totals from before the horizon can never be used again: a miss removes the workspace's.
          stale AS (DELETE FROM lead_list_totals t USING h
                     WHERE t.workspace_id = $1 AND pg_snapshot_xmin(t.snap) < h.horizon AND t.key <> ${key}
                       AND NOT EXISTS (SELECT 1 FROM carried))`;
}
