import { seedPipeline } from '../support/leads';
import { TestApp } from '../support/test-app';
import { api, email, engineTestConfig, waitFor } from './engine-support';

describe('automation engine: triggers and conditions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ config: engineTestConfig() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('fires on every trigger type; the runs are listed newest first and counted', async () => {
    const ws = await t.workspace('triggers');
    const a = api(t, await ws.key());
    const pipeline = await seedPipeline(t, ws.id, 'Sales');
    const types = [
      'lead.created',
      'lead.updated',
      'lead.status_changed',
      'lead.stage_changed',
      'tag.added',
      'form.submitted',
    ];
    const automations: Record<string, number> = {};
    for (const type of types)
      automations[type] = (
        await a.automation({
          trigger: { type, conditions: [] },
          actions: [{ type: 'set_field', field: `custom_fields.${type.replace('.', '_')}`, value: true }],
        })
      ).id;

    const lead = await a.lead({ first_name: 'Ada', tags: ['vip'] });
    await a.patchLead(lead.id, { status: 'qualified' });
    await a.patchLead(lead.id, { pipeline_stage_id: pipeline.stages[0] });
    // form.submitted comes from the forms module (not in this branch): its outbox row, as forms will write it.
    await t.sql(
      `INSERT INTO domain_events (workspace_id, type, lead_id, payload)
       VALUES ($1, 'form.submitted', $2, jsonb_build_object('workspace_id', $1::int, 'lead_id', $2::int, 'changes', '{}'::jsonb))`,
      [ws.id, lead.id],
    );

    const expected = Object.fromEntries(types.map((type) => [type.replace('.', '_'), true]));
    const done = await waitFor(
      () => a.getLead(lead.id),
      (l) => Object.keys(expected).every((k) => l.custom_fields[k] === true),
    );
    expect(done.custom_fields).toMatchObject(expected);
    // The automations' own changes are events too: let the chain settle before counting.
    await waitFor(
      () => t.sql(`SELECT 1 FROM domain_events WHERE workspace_id = $1 AND processed_at IS NULL`, [ws.id]),
      (rows) => rows.length === 0,
    );

    for (const type of types) {
      const runs = await a.runs(automations[type]);
      expect(
        runs.some((r) => r.event_type === type && r.status === 'succeeded' && r.lead_id === lead.id),
      ).toBe(true);
      expect(runs.map((r) => r.id)).toEqual([...runs.map((r) => r.id)].sort((x, y) => y - x));
      const automation = await a.getAutomation(automations[type]);
      expect(automation.run_count).toBe(runs.filter((r) => r.status === 'succeeded').length);
      expect(automation.last_run_at).not.toBeNull();
    }
    const first = await a.runs(automations['lead.created']);
    expect(first[0]).toMatchObject({
      automation_id: automations['lead.created'],
      depth: 0,
      status: 'succeeded',
      actions_applied: [
        { type: 'set_field', field: 'custom_fields.lead_created', value: true, changed: true },
      ],
      error: null,
    });
    const page = await t.get(`/api/v1/automations/${automations['lead.updated']}/runs?per_page=1`, {
      key: await ws.key(['read:automations']),
    });
    expect(page.status).toBe(200);
    expect(page.body.meta.per_page).toBe(1);
    expect(page.body.data).toHaveLength(1);
  });

  it('evaluates every operator against the lead; automations whose conditions fail are skipped', async () => {
    const ws = await t.workspace('operators');
    const a = api(t, await ws.key());
    const conditions: Record<string, object> = {
      equals: { field: 'source', operator: 'equals', value: 'Website' },
      not_equals: { field: 'status', operator: 'not_equals', value: 'lost' },
      contains: { field: 'email', operator: 'contains', value: 'EXAMPLE' },
      in: { field: 'tags', operator: 'in', value: ['vip', 'gold'] },
      gt: { field: 'lead_score', operator: 'gt', value: 10 },
      lt: { field: 'custom_fields.budget', operator: 'lt', value: 5000 },
      is_empty: { field: 'company', operator: 'is_empty' },
      is_not_empty: { field: 'phone', operator: 'is_not_empty' },
    };
    const ids: number[] = [];
    for (const [op, condition] of Object.entries(conditions))
      ids.push(
        (
          await a.automation({
            trigger: { type: 'lead.created', conditions: [condition] },
            actions: [{ type: 'add_tag', tag: `op-${op}` }],
          })
        ).id,
      );
    const yes = await a.lead({
      first_name: 'Yes',
      source: 'website',
      email: email('ada'),
      tags: ['vip'],
      lead_score: 20,
      custom_fields: { budget: 1000 },
      phone: '+14155550100',
    });
    const no = await a.lead({
      first_name: 'No',
      source: 'ads',
      status: 'lost',
      email: ['b', 'test.org'].join('@'),
      lead_score: 5,
      custom_fields: { budget: 9000 },
      company: 'Acme',
    });
    const tagged = await waitFor(
      () => a.getLead(yes.id),
      (l) => l.tags.length === 9,
    );
    expect(tagged.tags.sort()).toEqual([...Object.keys(conditions).map((op) => `op-${op}`), 'vip'].sort());
    for (const id of ids) {
      const runs = await waitFor(
        () => a.runs(id),
        (r) => r.length === 2,
      );
      expect(runs.find((r) => r.lead_id === no.id)).toMatchObject({ status: 'skipped', actions_applied: [] });
      expect(runs.find((r) => r.lead_id === yes.id)?.status).toBe('succeeded');
      expect((await a.getAutomation(id)).run_count).toBe(1);
    }
    expect((await a.getLead(no.id)).tags).toEqual([]);
  });

  it('an inactive automation does nothing; an automation never runs on events from before it existed', async () => {
    const ws = await t.workspace('inactive');
    const a = api(t, await ws.key());
    const early = await a.lead({ first_name: 'Early' });
    const inactive = await a.automation({
      is_active: false,
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'inactive' }],
    });
    const active = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'active' }],
    });
    const lead = await a.lead({ first_name: 'Later' });
    const done = await waitFor(
      () => a.getLead(lead.id),
      (l) => l.tags.includes('active'),
    );
    expect(done.tags).toEqual(['active']);
    await waitFor(
      () => t.sql(`SELECT 1 FROM domain_events WHERE workspace_id = $1 AND processed_at IS NULL`, [ws.id]),
      (rows) => rows.length === 0,
    );
    expect(await a.runs(inactive.id)).toEqual([]);
    expect((await a.getAutomation(inactive.id)).run_count).toBe(0);
    expect((await a.runs(active.id)).map((r) => r.lead_id)).toEqual([lead.id]);
    expect((await a.getLead(early.id)).tags).toEqual([]);
  });

  it("another workspace's automation runs → 404", async () => {
    const owner = api(t, await (await t.workspace('runs-owner')).key());
    const automation = await owner.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'x' }],
    });
    const other = await (await t.workspace('runs-other')).key();
    const res = await t.get(`/api/v1/automations/${automation.id}/runs`, { key: other });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
