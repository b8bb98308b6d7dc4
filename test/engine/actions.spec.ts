import { seedRecords } from '../support/automation-fixtures';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, waitFor } from './engine-support';

describe('automation engine: actions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ config: engineTestConfig() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('applies every lead action through the lead service, recording events one level deeper', async () => {
    const ws = await t.workspace('actions');
    const a = api(t, await ws.key());
    const refs = await seedRecords(t, ws.id);
    const automation = await a.automation({
      trigger: { type: 'lead.created', conditions: [{ field: 'tags', operator: 'contains', value: 'cold' }] },
      actions: [
        { type: 'add_tag', tag: 'auto' },
        { type: 'remove_tag', tag: 'cold' },
        { type: 'assign_user', user_id: refs.user },
        { type: 'set_status', status: 'contacted' },
        { type: 'move_to_stage', stage_id: refs.stage },
        { type: 'set_field', field: 'custom_fields.segment', value: 'smb' },
        { type: 'set_field', field: 'lead_score', value: 50 },
        { type: 'set_field', field: 'company', value: 'Acme' },
      ],
    });
    const lead = await a.lead({ first_name: 'Ada', tags: ['cold'], custom_fields: { keep: 1 } });
    const done = await waitFor(
      () => a.getLead(lead.id),
      (l) => l.company === 'Acme',
    );
    expect(done).toMatchObject({
      tags: ['auto'],
      assigned_user_id: refs.user,
      status: 'contacted',
      pipeline_id: refs.pipeline,
      pipeline_stage_id: refs.stage,
      custom_fields: { keep: 1, segment: 'smb' },
      lead_score: 50,
    });
    const [run] = await a.runs(automation.id);
    expect(run.status).toBe('succeeded');
    expect(run.actions_applied.map((x) => [x.type, x.changed])).toEqual([
      ['add_tag', true],
      ['remove_tag', true],
      ['assign_user', true],
      ['set_status', true],
      ['move_to_stage', true],
      ['set_field', true],
      ['set_field', true],
      ['set_field', true],
    ]);
    expect(await a.getAutomation(automation.id)).toMatchObject({ run_count: 1 });
    const events = await t.sql<{ type: string; depth: number | null }>(
      `SELECT type, (payload->>'depth')::int AS depth FROM domain_events WHERE lead_id = $1 ORDER BY id`,
      [lead.id],
    );
    expect(events[0]).toEqual({ type: 'lead.created', depth: null });
    const caused = events.slice(2); // lead.created, tag.added (cold), then the automation's changes
    expect(caused.length).toBeGreaterThan(0);
    expect(caused.every((e) => e.depth === 1)).toBe(true);
    expect(caused.map((e) => e.type)).toEqual(
      expect.arrayContaining(['tag.added', 'lead.updated', 'lead.status_changed', 'lead.stage_changed']),
    );
  });

  it('a failing action fails the run and undoes the actions before it', async () => {
    const ws = await t.workspace('failing');
    const a = api(t, await ws.key());
    const refs = await seedRecords(t, ws.id);
    const automation = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [
        { type: 'add_tag', tag: 'half-done' },
        { type: 'assign_user', user_id: refs.user },
      ],
    });
    await t.sql('DELETE FROM users WHERE id = $1', [refs.user]);
    const lead = await a.lead({ first_name: 'Bob' });
    const [run] = await waitFor(
      () => a.runs(automation.id),
      (r) => r.length === 1,
    );
    expect(run.status).toBe('failed');
    expect(run.actions_applied).toEqual([]);
    expect(run.error).toContain('actions.1 (assign_user)');
    expect(run.error).toContain('assigned_user_id');
    expect((await a.getLead(lead.id)).tags).toEqual([]);
    expect((await a.getAutomation(automation.id)).run_count).toBe(1);
  });

  it('automations that trigger each other stop at the chain depth limit', async () => {
    const ws = await t.workspace('loop');
    const a = api(t, await ws.key());
    const toContacted = await a.automation({
      trigger: {
        type: 'lead.status_changed',
        conditions: [{ field: 'status', operator: 'equals', value: 'qualified' }],
      },
      actions: [{ type: 'set_status', status: 'contacted' }],
    });
    const toQualified = await a.automation({
      trigger: {
        type: 'lead.status_changed',
        conditions: [{ field: 'status', operator: 'equals', value: 'contacted' }],
      },
      actions: [{ type: 'set_status', status: 'qualified' }],
    });
    const lead = await a.lead({ first_name: 'Loop' });
    await a.patchLead(lead.id, { status: 'qualified' });
    const all = async () => [...(await a.runs(toContacted.id)), ...(await a.runs(toQualified.id))];
    const runs = await waitFor(all, (r) => r.some((x) => x.status === 'cut'));
    await waitFor(
      () => t.sql(`SELECT 1 FROM domain_events WHERE workspace_id = $1 AND processed_at IS NULL`, [ws.id]),
      (rows) => rows.length === 0,
    );
    const final = await all();
    const ran = final.filter((r) => r.status === 'succeeded').sort((x, y) => x.depth - y.depth);
    expect(ran.map((r) => r.depth)).toEqual([0, 1, 2, 3, 4]);
    const cut = final.filter((r) => r.status === 'cut');
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatchObject({ depth: 5, actions_applied: [] });
    expect(cut[0].error).toContain('depth');
    expect(runs.length).toBeLessThanOrEqual(final.length);
    // Runs at depths 0–4 set contacted, qualified, contacted, qualified, contacted; the sixth never ran.
    expect((await a.getLead(lead.id)).status).toBe('contacted');
  });
});
