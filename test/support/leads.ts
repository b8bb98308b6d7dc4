import type { TestApp } from './test-app';

/** Pipelines, stages and users straight into the tables (their API lives in another module). */
export async function seedPipeline(t: TestApp, workspaceId: number, name: string, stages = 2) {
  const [p] = await t.sql<{ id: number }>(
    'INSERT INTO pipelines (workspace_id, name) VALUES ($1, $2) RETURNING id',
    [workspaceId, name],
  );
  const stageIds: number[] = [];
  for (let i = 1; i <= stages; i++) {
    const [s] = await t.sql<{ id: number }>(
      'INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position) VALUES ($1, $2, $3, $4) RETURNING id',
      [workspaceId, p.id, `${name} stage ${i}`, i],
    );
    stageIds.push(s.id);
  }
  return { id: p.id, stages: stageIds };
}

export async function seedUser(t: TestApp, workspaceId: number, email: string): Promise<number> {
  const [u] = await t.sql<{ id: number }>(
    'INSERT INTO users (workspace_id, name, email) VALUES ($1, $2, $3) RETURNING id',
    [workspaceId, email.split('@')[0], email],
  );
  return u.id;
}

export async function events(t: TestApp, leadId: number) {
  return t.sql<{ type: string; workspace_id: number; lead_id: number; payload: Record<string, any> }>( // eslint-disable-line @typescript-eslint/no-explicit-any
    'SELECT type, workspace_id, lead_id, payload FROM domain_events WHERE lead_id = $1 ORDER BY id',
    [leadId],
  );
}
