import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';

export interface TagRef {
  id: number;
  name: string;
}

/** Names without case-insensitive repeats (the first spelling wins). */
export function distinctNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = n.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * distinctNames in one canonical order: case-folded, then by code unit. Every writer inserts (and so locks)
 * new tags in this order: two requests carrying the same new tags in different orders would otherwise each
 * hold one the other waits for (a deadlock).
 */
export function canonicalNames(names: readonly string[]): string[] {
  return distinctNames(names).sort((a, b) => compare(a.toLowerCase(), b.toLowerCase()) || compare(a, b));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * CTEs `existing` (the workspace's tags named in $2, any case) and `ins` (the others, inserted in the given
 * order; race-safe on the (workspace_id, lower(name)) unique index, an existing tag keeps its spelling).
 * `onlyIf`: an SQL condition the insert also needs (e.g. that the statement inserted a lead).
 */
export const ensureTagsCtes = (onlyIf = 'true') => `existing AS (
     SELECT id, name FROM tags
      WHERE workspace_id = $1 AND lower(name) IN (SELECT lower(n) FROM unnest($2::text[]) AS n)),
   ins AS (
     INSERT INTO tags (workspace_id, name)
     SELECT $1, n FROM unnest($2::text[]) WITH ORDINALITY AS x(n, i)
      WHERE lower(n) NOT IN (SELECT lower(name) FROM existing) AND ${onlyIf} ORDER BY i
     ON CONFLICT (workspace_id, lower(name)) DO NOTHING RETURNING id, name)`;
const ENSURE_TAGS = ensureTagsCtes();

/** `lead_tags` (and the tags they create): which tags each lead has. */
@Injectable()
export class LeadTagsRepository extends TxRepository {
  /**
   * The workspace's tags with these names, creating unknown ones. Race-safe: INSERT … ON CONFLICT on the
   * (workspace_id, lower(name)) unique index; an existing tag keeps its spelling.
   */
  async ensureTags(workspaceId: number, names: readonly string[]): Promise<TagRef[]> {
    const wanted = canonicalNames(names);
    if (!wanted.length) return [];
    // Existing tags are read first, so only really new names reach the INSERT (which would otherwise burn a
    // sequence value per name on every call, even when it conflicts).
    let rows: TagRef[] = await this.tx.query(
      `WITH ${ENSURE_TAGS}
       SELECT id, name FROM existing UNION ALL SELECT id, name FROM ins`,
      [workspaceId, wanted],
    );
    // A tag committed by a concurrent transaction after this statement's snapshot: read again.
    if (rows.length < wanted.length)
      rows = await this.tx.query(
        `SELECT id, name FROM tags
          WHERE workspace_id = $1 AND lower(name) IN (SELECT lower(n) FROM unnest($2::text[]) AS n)`,
        [workspaceId, wanted],
      );
    return rows;
  }

  /** Gives the lead exactly these tags; returns the ones newly added. */
  async replace(leadId: number, tags: TagRef[]): Promise<TagRef[]> {
    const ids = tags.map((t) => t.id);
    await this.tx.query('DELETE FROM lead_tags WHERE lead_id = $1 AND NOT (tag_id = ANY($2::int[]))', [
      leadId,
      ids,
    ]);
    return this.add(leadId, tags);
  }

  /** Adds tags the lead lacks (others are left alone); returns the ones newly added. */
  async add(leadId: number, tags: TagRef[]): Promise<TagRef[]> {
    if (!tags.length) return [];
    const rows: { tag_id: number }[] = await this.tx.query(
      `INSERT INTO lead_tags (lead_id, tag_id) SELECT $1, t FROM unnest($2::int[]) AS t ORDER BY t
       ON CONFLICT DO NOTHING RETURNING tag_id`,
      [leadId, tags.map((t) => t.id)],
    );
    const added = new Set(rows.map((r) => r.tag_id));
    return tags.filter((t) => added.has(t.id));
  }

  /** Removes the tag (by name, case-insensitive) from the lead; returns whether it had it. */
  async remove(workspaceId: number, leadId: number, name: string): Promise<boolean> {
    // TypeORM returns [rows, count] for DELETE and UPDATE.
    const [, count]: [unknown[], number] = await this.tx.query(
      `DELETE FROM lead_tags WHERE lead_id = $1
          AND tag_id IN (SELECT id FROM tags WHERE workspace_id = $2 AND lower(name) = lower($3))
  `,
      [leadId, workspaceId, name],
    );
    return count > 0;
  }

  /**
   * ensureTags + addLeadTags in one statement (one round trip) for the hot intake path; falls back to the two
   * steps when a tag was created concurrently (invisible to this statement's snapshot).
   */
  async ensureAndAdd(workspaceId: number, leadId: number, names: readonly string[]): Promise<TagRef[]> {
    const wanted = canonicalNames(names);
    if (!wanted.length) return [];
    const rows: (TagRef & { added: boolean })[] = await this.tx.query(
      `WITH ${ENSURE_TAGS},
       wanted AS (SELECT id, name FROM existing UNION ALL SELECT id, name FROM ins),
       link AS (
         INSERT INTO lead_tags (lead_id, tag_id) SELECT $3, id FROM wanted ORDER BY id
         ON CONFLICT DO NOTHING RETURNING tag_id)
       SELECT w.id, w.name, w.id IN (SELECT tag_id FROM link) AS added FROM wanted w`,
      [workspaceId, wanted, leadId],
    );
    const added = rows.filter((r) => r.added).map(({ id, name }) => ({ id, name }));
    if (rows.length === wanted.length) return added;
    const more = await this.add(leadId, await this.ensureTags(workspaceId, wanted));
    return [...added, ...more.filter((t) => !added.some((a) => a.id === t.id))];
  }
}
