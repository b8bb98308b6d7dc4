import { EngineWorker } from '../../src/engine/engine-worker';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, waitFor } from './engine-support';

/** Six actions that each change the lead, so each records at least one lead.updated event. */
const TOGGLES = [
  { type: 'add_tag', tag: 'x' },
  { type: 'remove_tag', tag: 'x' },
  { type: 'add_tag', tag: 'y' },
  { type: 'remove_tag', tag: 'y' },
  { type: 'set_status', status: 'contacted' },
  { type: 'set_status', status: 'new' },
];

const BUDGET = 100; // LEADHUB_AUTOMATION_CHAIN_BUDGET's default

describe('automation engine: the work one change causes is bounded (chain budget)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ config: engineTestConfig() });
  });
  afterAll(async () => {
    await t.close();
  });

  it('one PATCH matching automations with 6 lead-changing actions on lead.updated: bounded runs and events, the rest cut', async () => {
    const ws = await t.workspace('storm');
    const a = api(t, await ws.key());
    const storms = [
      await a.automation({ name: 'Storm 1', trigger: { type: 'lead.updated' }, actions: TOGGLES }),
      await a.automation({ name: 'Storm 2', trigger: { type: 'lead.updated' }, actions: TOGGLES }),
    ];
    const lead = await a.lead({ first_name: 'Target' });
    await a.patchLead(lead.id, { company: 'Acme' });
    // Without a bound this chain never settles within the test's time (it made 13,998 events in 2.7 min).
    await waitFor(
      async () =>
        (
          await t.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM domain_events WHERE workspace_id = $1 AND processed_at IS NULL`,
            [ws.id],
          )
        )[0].n,
      (n) => n === 0,
      30_000,
    );
    const [events] = await t.sql<{ caused: number; total: number }>(
      `SELECT count(*) FILTER (WHERE (payload->>'depth')::int >= 1)::int AS caused, count(*)::int AS total
         FROM domain_events WHERE workspace_id = $1`,
      [ws.id],
    );
    const runs = (await Promise.all(storms.map((s) => a.runs(s.id, '?per_page=100')))).flat();
    const ran = runs.filter((r) => r.status === 'succeeded' || r.status === 'failed');
    const cut = runs.filter((r) => r.status === 'cut');
    // Runs + the events they caused stay within the budget of the one change (the PATCH).
    expect(ran.length + events.caused).toBeLessThanOrEqual(BUDGET);
    expect(events.total).toBeLessThanOrEqual(2 + BUDGET); // lead.created + the PATCH's lead.updated + caused
    // The PATCH's own event ran both automations; what went past the budget is in the run log as cut.
    expect(ran.filter((r) => r.depth === 0)).toHaveLength(2);
    expect(cut.length).toBeGreaterThan(0);
    for (const r of cut) {
      expect(r).toMatchObject({ cut_reason: 'chain_budget', actions_applied: [] });
      expect(r.error).toMatch(/^Chain budget (used up|exceeded)/);
    }
    for (const r of ran) expect(r.cut_reason).toBeNull();
    // The run count counts runs whose actions ran, not cut ones.
    const counted = (await Promise.all(storms.map((s) => a.getAutomation(s.id)))).map((s) => s.run_count);
    expect(counted.reduce((x: number, y: number) => x + y, 0)).toBe(
      ran.filter((r) => r.event_type === 'lead.updated').length,
    );
  });
});

describe('automation engine: a workspace with a backlog does not delay another one beyond one batch', () => {
  let t: TestApp;

  beforeAll(async () => {
    // batches are run one by one below
    t = await TestApp.start({ config: engineTestConfig({ worker: false }) });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the next batch takes the other workspace’s event, whatever the backlog ahead of it', async () => {
    const noisy = await t.workspace('noisy');
    const quiet = await t.workspace('quiet');
    const n = api(t, await noisy.key());
    const q = api(t, await quiet.key());
    await n.automation({ trigger: { type: 'lead.created' }, actions: [{ type: 'add_tag', tag: 'seen' }] });
    const victim = await q.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'seen' }],
    });
    for (let i = 0; i < 6; i++)
      await Promise.all(Array.from({ length: 20 }, (_, j) => n.lead({ first_name: `Noisy ${i * 20 + j}` })));
    const lead = await q.lead({ first_name: 'Quiet' });
    const pending = async (wsId: number, type = '%') =>
      (
        await t.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM domain_events
            WHERE workspace_id = $1 AND processed_at IS NULL AND type LIKE $2`,
          [wsId, type],
        )
      )[0].n;
    expect(await pending(noisy.id)).toBe(120);

    const worker = t.app.get(EngineWorker);
    await worker.processEvents(); // one batch
    // The quiet workspace's event (newer than all 120 of the backlog) was in that batch…
    const [created] = await t.sql<{ processed: boolean }>(
      `SELECT processed_at IS NOT NULL AS processed FROM domain_events WHERE workspace_id = $1 AND type = 'lead.created'`,
      [quiet.id],
    );
    expect(created.processed).toBe(true);
    const [run] = await q.runs(victim.id);
    expect(run).toMatchObject({ lead_id: lead.id, status: 'succeeded' });
    // …next to a share of the backlog, not all of it.
    const left = await pending(noisy.id, 'lead.created');
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(120);

    // Processing order (processed_at is the batch's transaction time): the quiet workspace's lead.created was
    // in the first batch, the backlog went on over several.
    while (await worker.processEvents());
    expect(await pending(noisy.id)).toBe(0);
    expect(await pending(quiet.id)).toBe(0);
    const order = await t.sql<{ workspace_id: number; batch: number }>(
      `SELECT workspace_id, dense_rank() OVER (ORDER BY processed_at)::int AS batch
         FROM domain_events WHERE workspace_id = ANY($1::int[]) AND type = 'lead.created'`,
      [[noisy.id, quiet.id]],
    );
    expect(order.find((e) => e.workspace_id === quiet.id)?.batch).toBe(1);
    expect(Math.max(...order.map((e) => e.batch))).toBeGreaterThan(1);
  });
});
