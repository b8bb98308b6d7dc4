import type { EntityManager } from 'typeorm';
import { violatedForeignKey } from './lead-references';
import { phoneDigits } from './dto/lead-fields';
import { TAGS_OF, type WritableField } from './lead-row';

export type LeadValues = Partial<Record<WritableField, unknown>>;

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

/** Inserts a lead of the workspace; returns its row (without tags). A reference deleted meanwhile is a 422. */
export async function insertLead<T extends { id: number }>(
  m: EntityManager,
  workspaceId: number,
  values: LeadValues,
): Promise<T> {
  const cols = columns(values);
  const params = [workspaceId, ...cols.map(([, v]) => v)];
  const sql = `INSERT INTO leads (workspace_id, ${cols.map(([c]) => c).join(', ')})
               VALUES ($1, ${cols.map(([, , cast], i) => `$${i + 2}${cast}`).join(', ')}) RETURNING *`;
  const [row] = await violatedForeignKey(() => m.query(sql, params));
  return row;
}

/** Updates the given columns and bumps updated_at. */
export async function updateLead(
  m: EntityManager,
  workspaceId: number,
  id: number,
  values: LeadValues,
): Promise<void> {
  const cols = columns(values);
  const sets = cols.map(([c, , cast], i) => `${c} = $${i + 3}${cast}`);
  await violatedForeignKey(() =>
    m.query(
      `UPDATE leads SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND workspace_id = $2`,
      [id, workspaceId, ...cols.map(([, v]) => v)],
    ),
  );
}

export async function touchLead(m: EntityManager, id: number): Promise<void> {
  await m.query('UPDATE leads SET updated_at = now() WHERE id = $1', [id]);
}

/** The lead with its tags, locked for the rest of the transaction; undefined when not in the workspace. */
export async function lockLead<T>(m: EntityManager, workspaceId: number, id: number): Promise<T | undefined> {
  const [row] = await m.query(
    `SELECT l.*, ${TAGS_OF('l')} FROM leads l WHERE l.id = $1 AND l.workspace_id = $2 FOR UPDATE OF l`,
    [id, workspaceId],
  );
  return row;
}
