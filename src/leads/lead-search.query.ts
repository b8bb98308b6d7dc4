import { sqlDirection } from '../common/crud/sorting';
import { updatedWindow } from '../common/crud/sync-window';
import { likePattern } from '../common/crud/workspace-scope';
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
  if (q.search) {
    const term = q.search.trim();
    const patterns = [likePattern(term)];
    const digits = term.replace(/\D/g, '');
    if (PHONE_LIKE.test(term) && digits.length >= 3 && digits !== term) patterns.push(likePattern(digits));
    const expr = SEARCH_EXPRESSION('l');
    where.push(`(${patterns.map((p) => `${expr} LIKE lower(${param(p)})`).join(' OR ')})`);
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
  const filter = where.join(' AND ');
  // Unfiltered: the exact count kept by triggers (see migration LeadCounts) instead of counting every lead.
  const total =
    where.length === 1
      ? 'SELECT coalesce(sum(n), 0)::int AS total FROM lead_counts WHERE workspace_id = $1'
      : `SELECT count(*)::int AS total FROM leads l WHERE ${filter}`;
  const limit = param(q.per_page);
  const offset = param((q.page - 1) * q.per_page);
  if (q.search) {
    // Search: one trigram-index scan, materialised, feeds both the count and the page (instead of two scans).
    return {
      sql: `WITH m AS MATERIALIZED (SELECT l.id, ${SORT_EXPRESSION[q.sort]('l')} AS k FROM leads l WHERE ${filter}),
            page AS (SELECT m.id, m.k FROM m ORDER BY m.k ${dir}, m.id ${dir} LIMIT ${limit} OFFSET ${offset})
            SELECT c.total, l.*, ${TAGS_OF('l')}
              FROM (SELECT count(*)::int AS total FROM m) c
              LEFT JOIN (page p JOIN leads l ON l.id = p.id) ON true
             ORDER BY p.k ${dir}, p.id ${dir}`,
      params,
    };
  }
  return {
    sql: `WITH page AS (
            SELECT l.* FROM leads l WHERE ${filter} ORDER BY ${order('l')} LIMIT ${limit} OFFSET ${offset})
          SELECT c.total, p.*, ${TAGS_OF('p')}
            FROM (${total}) c
            LEFT JOIN page p ON true
           ORDER BY ${order('p')}`,
    params,
  };
}
