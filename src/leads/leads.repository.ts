import { Injectable } from '@nestjs/common';
import { fieldOnConstraint } from '../common/crud/database-errors';
import type { Page } from '../common/pagination/paginated-response';
import { TxRepository } from '../database/tx-repository';
import { phoneDigits } from './dto/lead-fields';
import type { LeadFiltersDto } from './dto/lead-filters.dto';
import type { LeadRecord, WritableField } from './lead-record';
import { invalidReference, type References } from './lead-references';
import { buildListQuery, TAGS_OF } from './lead-search.query';

export type LeadValues = Partial<Record<WritableField, unknown>>;

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
    // Target-list entries run left to right: the email lock, then the phone lock.
    await this.tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('lead-intake:' || $1::int || ':e:' || lower($2), 0)),
              pg_advisory_xact_lock(hashtextextended('lead-intake:' || $1::int || ':p:' || $3, 0))`,
      [workspaceId, email, phoneKey],
    );
    const [existing]: LeadRecord[] = await this.tx.query(
      `SELECT l.*, ${TAGS_OF('l')} FROM leads l
        WHERE l.workspace_id = $1 AND (lower(l.email) = lower($2) OR l.phone_digits = $3)
        ORDER BY (lower(l.email) = lower($2)) IS TRUE DESC, l.id LIMIT 1 FOR UPDATE OF l`,
      [workspaceId, email, phoneKey],
    );
    return existing;
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

  /** Inserts a lead of the workspace; returns its row (without tags). A reference deleted meanwhile is a 422. */
  async insert(workspaceId: number, values: LeadValues): Promise<Omit<LeadRecord, 'tags'>> {
    const cols = columns(values);
    const params = [workspaceId, ...cols.map(([, v]) => v)];
    const sql = `INSERT INTO leads (workspace_id, ${cols.map(([c]) => c).join(', ')})
                 VALUES ($1, ${cols.map(([, , cast], i) => `$${i + 2}${cast}`).join(', ')}) RETURNING *`;
    const [row] = await fieldOnConstraint(() => this.tx.query(sql, params), FOREIGN_KEYS);
    return row;
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

  /** Bumps updated_at (a change to the lead's tags only). */
  async touch(id: number): Promise<void> {
    await this.tx.query('UPDATE leads SET updated_at = now() WHERE id = $1', [id]);
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
