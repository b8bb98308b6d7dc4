import { EngineWorker } from '../../src/engine/engine-worker';
import { seedRecords } from '../support/automation-fixtures';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig } from './engine-support';

describe('automation engine: the events of one batch', () => {
  let t: TestApp;

  beforeAll(async () => {
    // No worker: the batch is run below, with both events of the lead in it.
    t = await TestApp.start({ config: engineTestConfig({ worker: false }) });
  });
  afterAll(() => t.close());

  it('a later event of the lead sees what the runs of an earlier one did (and not a failed run’s change); runs logged in order', async () => {
    const ws = await t.workspace('batch');
    const a = api(t, await ws.key());
    const tagger = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'first' }],
    });
    const refs = await seedRecords(t, ws.id);
    // Fails at its second action (its user is deleted below): its first one (a tag) is undone with it.
    const failing = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [
        { type: 'add_tag', tag: 'undone' },
        { type: 'assign_user', user_id: refs.user },
      ],
    });
    const follower = await a.automation({
      trigger: {
        type: 'lead.updated',
        conditions: [{ field: 'tags', operator: 'contains', value: 'first' }],
      },
      actions: [{ type: 'set_field', field: 'custom_fields.saw_first', value: true }],
    });
    const unseen = await a.automation({
      trigger: {
        type: 'lead.updated',
        conditions: [{ field: 'tags', operator: 'contains', value: 'undone' }],
      },
      actions: [{ type: 'set_field', field: 'custom_fields.saw_undone', value: true }],
    });
    await t.sql('DELETE FROM users WHERE id = $1', [refs.user]);
    const lead = await a.lead({ first_name: 'Ada' });
    await a.patchLead(lead.id, { company: 'Acme' }); // lead.updated, pending with lead.created

    await t.app.get(EngineWorker).processEvents(); // one batch: both events of the lead

    const after = await a.getLead(lead.id);
    expect(after.tags).toEqual(['first']);
    expect(after.custom_fields).toEqual({ saw_first: true });
    const [tagged] = await a.runs(tagger.id);
    const [failed] = await a.runs(failing.id);
    const [followed] = await a.runs(follower.id);
    const [skipped] = await a.runs(unseen.id);
    expect(tagged).toMatchObject({ event_type: 'lead.created', status: 'succeeded', lead_id: lead.id });
    expect(failed).toMatchObject({ event_type: 'lead.created', status: 'failed', lead_id: lead.id });
    expect(failed.error).toContain('actions.1 (assign_user)');
    expect(followed).toMatchObject({ event_type: 'lead.updated', status: 'succeeded', depth: 0 });
    expect(skipped).toMatchObject({ event_type: 'lead.updated', status: 'skipped' });
    // The run log in the order the runs happened.
    expect([tagged.id, failed.id, followed.id, skipped.id]).toEqual(
      [tagged.id, failed.id, followed.id, skipped.id].sort((x, y) => x - y),
    );
    // The events the successful runs recorded carry their chain depth and budget.
    const caused = await t.sql<{ type: string; depth: number; budget: number | null }>(
      `SELECT type, (payload->>'depth')::int AS depth, (payload->>'budget')::int AS budget
         FROM domain_events WHERE lead_id = $1 AND payload ? 'depth' ORDER BY id`,
      [lead.id],
    );
    expect(caused.map((e) => e.type).sort()).toEqual(['lead.updated', 'lead.updated', 'tag.added']);
    for (const e of caused) {
      expect(e.depth).toBe(1);
      expect(e.budget).toEqual(expect.any(Number));
    }
    const counted = await a.getAutomation(tagger.id);
    expect(counted.run_count).toBe(1);
  });
});
