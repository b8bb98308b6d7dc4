import type { TestApp } from './test-app';

export interface LeadRow {
  id: number;
  pipeline_id: number | null;
  pipeline_stage_id: number | null;
  assigned_user_id: number | null;
}

/** Inserts a lead row directly (resource tests that only need leads to point at their records). */
export async function insertLead(
  t: TestApp,
  workspaceId: number,
  refs: {
    pipeline_id?: number;
    pipeline_stage_id?: number;
    assigned_user_id?: number;
    tag_ids?: number[];
  } = {},
): Promise<number> {
  const [{ id }] = await t.sql<{ id: number }>(
    `INSERT INTO leads (workspace_id, first_name, pipeline_id, pipeline_stage_id, assigned_user_id)
     VALUES ($1, 'Lead', $2, $3, $4) RETURNING id`,
    [workspaceId, refs.pipeline_id ?? null, refs.pipeline_stage_id ?? null, refs.assigned_user_id ?? null],
  );
  for (const tagId of refs.tag_ids ?? [])
    await t.sql('INSERT INTO lead_tags (lead_id, tag_id) VALUES ($1, $2)', [id, tagId]);
  return id;
}

export async function leadRow(t: TestApp, id: number): Promise<LeadRow> {
  const [row] = await t.sql<LeadRow>(
    'SELECT id, pipeline_id, pipeline_stage_id, assigned_user_id FROM leads WHERE id = $1',
    [id],
  );
  return row;
}

/** Tag names of a lead, through lead_tags (how a lead's `tags` are read). */
export async function leadTagNames(t: TestApp, id: number): Promise<string[]> {
  const rows = await t.sql<{ name: string }>(
    `SELECT tg.name FROM lead_tags lt JOIN tags tg ON tg.id = lt.tag_id WHERE lt.lead_id = $1 ORDER BY tg.name`,
    [id],
  );
  return rows.map((r) => r.name);
}
