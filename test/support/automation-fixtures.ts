import type { TestApp } from './test-app';

export const SECRET = 'whsec_7f3a9c2b1d4e5f60';

/** A user, a pipeline and a stage of the workspace, inserted directly (their APIs live elsewhere). */
export async function seedRecords(t: TestApp, workspaceId: number) {
  const [u] = await t.sql<{ id: number }>(
    `INSERT INTO users (workspace_id, name, email) VALUES ($1, 'Ann', $2) RETURNING id`,
    [workspaceId, `ann${workspaceId}@example.com`],
  );
  const [p] = await t.sql<{ id: number }>(
    `INSERT INTO pipelines (workspace_id, name) VALUES ($1, 'Sales') RETURNING id`,
    [workspaceId],
  );
  const [s] = await t.sql<{ id: number }>(
    `INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position) VALUES ($1, $2, 'Won', 1) RETURNING id`,
    [workspaceId, p.id],
  );
  return { user: u.id, pipeline: p.id, stage: s.id };
}

/** A definition that uses every action and most condition kinds. */
export function validAutomation({ user, stage }: { user: number; stage: number }) {
  return {
    name: 'Qualify website leads',
    trigger: {
      type: 'lead.created',
      conditions: [
        { field: 'source', operator: 'equals', value: 'website' },
        { field: 'status', operator: 'in', value: ['new', 'contacted'] },
        { field: 'lead_score', operator: 'gt', value: 10 },
        { field: 'email', operator: 'is_not_empty' },
        { field: 'assigned_user_id', operator: 'equals', value: user },
        { field: 'tags', operator: 'contains', value: 'vip' },
        { field: 'custom_fields.budget', operator: 'lt', value: 5000.5 },
        { field: 'starred', operator: 'equals', value: true },
      ],
    },
    actions: [
      { type: 'add_tag', tag: 'website' },
      { type: 'remove_tag', tag: 'cold' },
      { type: 'assign_user', user_id: user },
      { type: 'set_status', status: 'contacted' },
      { type: 'move_to_stage', stage_id: stage },
      { type: 'set_field', field: 'custom_fields.segment', value: 'smb' },
      { type: 'set_field', field: 'lead_score', value: 50 },
      { type: 'send_webhook', url: 'https://93.184.215.14/hook', secret: SECRET },
    ],
  };
}
