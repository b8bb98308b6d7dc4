import { Injectable } from '@nestjs/common';
import { fieldOnConstraint } from '../common/crud/database-errors';
import type { Page } from '../common/pagination/paginated-response';
import { TxRepository } from '../database/tx-repository';
import { phoneDigits } from './dto/lead-fields';
import type { LeadFiltersDto } from './dto/lead-filters.dto';
import type { LeadRecord, WritableField } from './lead-record';
import { invalidReference, type References } from './lead-references';
import { buildListQuery, TAGS_OF } from './lead-search.query';
import { canonicalNames, ensureTagsCtes, type TagRef } from './lead-tags.repository';

export type LeadValues = Partial<Record<WritableField, unknown>>;

/** What insertWithTags did: the duplicate it found (and left alone), or the lead it inserted with its tags. */
export type InsertedLead =
  | { duplicate: LeadRecord }
  | {
      duplicate?: undefined;
      /** The new lead; `tags` its tags' names (in TAGS_OF's order). */
      lead: LeadRecord;
      /** The tags it got (all of `tags` it was given unless `tagsMissing`). */
      added: TagRef[];
      /** A tag created by a concurrent transaction was invisible to the statement: not linked yet. */
      tagsMissing: boolean;
    };

/**
 * Intake's duplicate (of workspace $1): the lead with the email in parameter `email` (case-insensitive) or else
 * the phone digits in parameter `phone`, locked.
 */
const duplicateOf = (email: string, phone: string) => `SELECT l.*, ${TAGS_OF('l')} FROM leads l
        WHERE l.workspace_id = $1 AND (lower(l.email) = lower(${email}) OR l.phone_digits = ${phone})
        ORDER BY (lower(l.email) = lower(${email})) IS TRUE DESC, l.id LIMIT 1 FOR UPDATE OF l`;

/** What the pipeline, stage and user ids a write names are in the workspace (null: not one of its records). */
export interface FoundReferences {
  pipeline: number | null;
  stage_pipeline: number | null;
  user: number | null;
}

/** A pipeline/stage/user deleted between the check and the write: 422 on its field, not a 500. */
const FOREIGN_KEYS = Object.fromEntries(
  (
    [
      ['leads_pipeline_id_fkey', 'pipeline_id'],
      ['leads_pipeline_stage_id_fkey', 'pipeline_stage_id'],
      ['leads_assigned_user_id_fkey', 'assigned_user_id'],
    ] as const
  ).map(([constraint, field]) => [constraint, { field, message: invalidReference(field) }]),
);

/** One lead of a workspace with its tags. */
const SELECT_LEAD = `SELECT l.*, ${TAGS_OF('l')} FROM leads l WHERE l.id = $1 AND l.workspace_id = $2`;

/** The `leads` table: leads with their tag names (LeadRecord); tags of leads are LeadTagsRepository's. */
@Injectable()
export class LeadsRepository extends TxRepository {
  /** GET /leads: one page of the filtered leads and the filtered total, in one statement. */
  async list(workspaceId: number, q: LeadFiltersDto): Promise<Page<LeadRecord>> {
    const { sql, params } = buildListQuery(workspaceId, q);
    const rows: (LeadRecord & { total?: number })[] = await this.tx.query(sql, params);
    return { items: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 };
  }

  async findInWorkspace(workspaceId: number, id: number): Promise<LeadRecord | undefined> {
    const [lead]: LeadRecord[] = await this.tx.query(SELECT_LEAD, [id, workspaceId]);
    return lead;
  }

  /** The lead with its tags, locked for the rest of the transaction; undefined when not in the workspace. */
  async lockInWorkspace(workspaceId: number, id: number): Promise<LeadRecord | undefined> {
    const [row]: LeadRecord[] = await this.tx.query(
      `SELECT l.*, ${TAGS_OF('l')} FROM leads l WHERE l.id = $1 AND l.workspace_id = $2 FOR UPDATE OF l`,
      [id, workspaceId],
    );
    return row;
  }

  /**
   * Intake's duplicate check: the lead with this email (case-insensitive) or else these phone digits, locked.
   * First takes the workspace's advisory locks on the normalised email, then phone (a fixed order, so no
   * deadlock; a null key locks nothing); the lookup is a new statement after them, so its snapshot sees a lead
   * committed by whoever held them before.
   */
  async lockDuplicate(
    workspaceId: number,
    email: string | null,
    phoneKey: string | null,
  ): Promise<LeadRecord | undefined> {
    await this.lockIntakeKeys(workspaceId, email, phoneKey);
    const [existing]: LeadRecord[] = await this.tx.query(duplicateOf('$2', '$3'), [
      workspaceId,
      email,
      phoneKey,
    ]);
    return existing;
  }

  /**
   * The workspace's advisory locks on the normalised email, then phone (a fixed order, so no deadlock; a null
   * key locks nothing), held to the end of the transaction. Whatever looks for a duplicate does so in a later
   * statement, so that its snapshot sees a lead committed by whoever held them before.
   */
  async lockIntakeKeys(workspaceId: number, email: string | null, phoneKey: string | null): Promise<void> {
    // Target-list entries run left to right: the email lock, then the phone lock.
    await this.tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('lead-intake:' || $1::int || ':e:' || lower($2), 0)),
              pg_advisory_xact_lock(hashtextextended('lead-intake:' || $1::int || ':p:' || $3, 0))`,
      [workspaceId, email, phoneKey],
    );
  }

  /**
   * Inserts a lead with its tags (creating unknown ones) in ONE statement, the write path of POST /leads and of
   * intake. With `unlessDuplicateOf` (after lockIntakeKeys) it first looks for the duplicate lockDuplicate
   * would find and, when there is one, returns it locked and writes nothing. A reference deleted meanwhile is
   * a 422 (as insert).
   */
  async insertWithTags(
    workspaceId: number,
    values: LeadValues,
    tagNames: readonly string[],
    unlessDuplicateOf?: { email: string | null; phoneKey: string | null },
  ): Promise<InsertedLead> {
    const cols = columns(values);
    const wanted = canonicalNames(tagNames);
    const params: unknown[] = [
      workspaceId,
      wanted,
      unlessDuplicateOf?.email ?? null,
      unlessDuplicateOf?.phoneKey ?? null,
      ...cols.map(([, v]) => v),
    ];
    const placeholders = cols.map(([, , cast], i) => `$${i + 5}${cast}`).join(', ');
    // `dup` has the columns of a lead with its tags; empty (and locking nothing) without unlessDuplicateOf.
    const ctes = [
      `dup AS (${unlessDuplicateOf ? duplicateOf('$3', '$4') : `SELECT l.*, ${TAGS_OF('l')} FROM leads l WHERE false AND $3::text IS NULL AND $4::text IS NULL`})`,
    ];
    ctes.push(`new_lead AS (
         INSERT INTO leads (workspace_id, ${cols.map(([c]) => c).join(', ')})
         SELECT $1, ${placeholders} WHERE NOT EXISTS (SELECT 1 FROM dup) RETURNING *)`);
    if (wanted.length)
      ctes.push(
        ensureTagsCtes('EXISTS (SELECT 1 FROM new_lead)'),
        `wanted AS (SELECT id, name FROM existing UNION ALL SELECT id, name FROM ins)`,
        `link AS (
         INSERT INTO lead_tags (lead_id, tag_id) SELECT n.id, w.id FROM new_lead n CROSS JOIN wanted w ORDER BY w.id
         ON CONFLICT DO NOTHING RETURNING tag_id)`,
      );
    else
      ctes.push(
        `wanted AS (SELECT t.id, t.name FROM tags t WHERE false AND $2::text[] IS NULL)`,
        `link AS (SELECT NULL::int AS tag_id WHERE false)`,
      );
    const sql = `WITH ${ctes.join(',\n')}
      SELECT d.*, true AS is_duplicate, NULL::json AS tag_refs FROM dup d
      UNION ALL
      SELECT n.*,
             ARRAY(SELECT w.name FROM wanted w WHERE w.id IN (SELECT tag_id FROM link) ORDER BY lower(w.name), w.name),
             false,
             (SELECT json_agg(json_build_object('id', w.id, 'name', w.name, 'added', w.id IN (SELECT tag_id FROM link)))
                FROM wanted w)
        FROM new_lead n`;
    type Row = LeadRecord & { is_duplicate: boolean; tag_refs: (TagRef & { added: boolean })[] | null };
    const [row]: Row[] = await fieldOnConstraint(() => this.tx.query(sql, params), FOREIGN_KEYS);
    const { is_duplicate, tag_refs, ...lead } = row;
    if (is_duplicate) return { duplicate: lead };
    const refs = tag_refs ?? [];
    return {
      lead,
      added: refs.filter((r) => r.added).map(({ id, name }) => ({ id, name })),
      tagsMissing: refs.length < wanted.length,
    };
  }

  /** Which of the pipeline, stage and user ids are the workspace's (one statement). */
  async findReferences(
    workspaceId: number,
    ids: { [K in keyof References]?: number | null },
  ): Promise<FoundReferences> {
    const [found]: FoundReferences[] = await this.tx.query(
      `SELECT (SELECT id FROM pipelines WHERE id = $2 AND workspace_id = $1) AS pipeline,
              (SELECT pipeline_id FROM pipeline_stages WHERE id = $3 AND workspace_id = $1) AS stage_pipeline,
              (SELECT id FROM users WHERE id = $4 AND workspace_id = $1) AS "user"`,
      [workspaceId, ids.pipeline_id ?? null, ids.pipeline_stage_id ?? null, ids.assigned_user_id ?? null],
    );
    return found;
  }

  /** Updates the given columns and bumps updated_at. */
  async update(workspaceId: number, id: number, values: LeadValues): Promise<void> {
    const cols = columns(values);
    const sets = cols.map(([c, , cast], i) => `${c} = $${i + 3}${cast}`);
    await fieldOnConstraint(
      () =>
        this.tx.query(
          `UPDATE leads SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND workspace_id = $2`,
          [id, workspaceId, ...cols.map(([, v]) => v)],
        ),
      FOREIGN_KEYS,
    );
  }

  /**
   * Bumps updated_at (a change to the lead's tags only); returns the lead with its tags as findInWorkspace would
   * read it next (one statement, not two).
   */
  async touchAndGet(workspaceId: number, id: number): Promise<LeadRecord | undefined> {
    // TypeORM returns [rows, count] for UPDATE.
    const [[row]]: [LeadRecord[], number] = await this.tx.query(
      `UPDATE leads l SET updated_at = now() WHERE l.id = $1 AND l.workspace_id = $2 RETURNING l.*, ${TAGS_OF('l')}`,
      [id, workspaceId],
    );
    return row;
  }

  /** The workspace's leads with these ids and their tags, in one statement. */
  async findMany(workspaceId: number, ids: readonly number[]): Promise<LeadRecord[]> {
    if (!ids.length) return [];
    return this.tx.query(
      `SELECT l.*, ${TAGS_OF('l')} FROM leads l WHERE l.workspace_id = $1 AND l.id = ANY($2::int[])`,
      [workspaceId, ids],
    );
  }

  /** Deletes the lead; returns whether the workspace had it. */
  async delete(workspaceId: number, id: number): Promise<boolean> {
    const [, count]: [unknown, number] = await this.tx.query(
      'DELETE FROM leads WHERE id = $1 AND workspace_id = $2',
      [id, workspaceId],
    );
    return count > 0;
  }
}

/** Column values for an INSERT/UPDATE: custom_fields as jsonb, phone_digits derived from phone. */
function columns(values: LeadValues): [string, unknown, string][] {
  const out: [string, unknown, string][] = [];
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (field === 'custom_fields') out.push([field, JSON.stringify(value ?? {}), '::jsonb']);
    else out.push([field, value, '']);
    if (field === 'phone') out.push(['phone_digits', phoneDigits(value as string | null), '']);
  }
  return out;
}
