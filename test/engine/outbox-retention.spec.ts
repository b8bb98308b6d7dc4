import { Client } from 'pg';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, waitFor } from './engine-support';

describe('automation engine: processed events are pruned after the retention period', () => {
  const apps: TestApp[] = [];
  let quiet: TestApp; // the API without a worker
  beforeAll(async () => {
    quiet = await TestApp.start({ config: engineTestConfig({ worker: false }) });
    apps.push(quiet);
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('deletes old processed events in batches; pending and recent ones stay', async () => {
    const ws = await quiet.workspace('retention');
    const a = api(quiet, await ws.key());
    const leads: { id: number }[] = [];
    for (let i = 0; i < 9; i++) leads.push(await a.lead({ first_name: `Kept ${i}` }));
    const events = async (ids: number[]) =>
      quiet.sql<{ lead_id: number; processed: boolean }>(
        `SELECT lead_id, processed_at IS NOT NULL AS processed FROM domain_events
          WHERE lead_id = ANY($1::int[]) ORDER BY id`,
        [ids],
      );
    const ids = (from: number, to: number) => leads.slice(from, to).map((l) => l.id);
    const old = ids(0, 5);
    const recent = ids(5, 7);
    const pending = ids(7, 9);
    // Processed 200 hours ago (retention: 168), processed an hour ago, and pending for 300 hours.
    await quiet.sql(
      `UPDATE domain_events SET created_at = now() - interval '201 hours', processed_at = now() - interval '200 hours'
        WHERE lead_id = ANY($1::int[])`,
      [old],
    );
    await quiet.sql(
      `UPDATE domain_events SET processed_at = now() - interval '1 hour' WHERE lead_id = ANY($1::int[])`,
      [recent],
    );
    await quiet.sql(
      `UPDATE domain_events SET created_at = now() - interval '300 hours' WHERE lead_id = ANY($1::int[])`,
      [pending],
    );
    expect(await events(old)).toHaveLength(5);

    // The pending ones are held (as by a worker busy with them), so they stay pending while pruning runs.
    const holder = new Client({ connectionString: quiet.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM domain_events WHERE lead_id = ANY($1::int[]) FOR UPDATE', [pending]);
      const worker = await TestApp.start({
        databaseUrl: quiet.databaseUrl,
        // Two rows per statement: five old events take three statements.
        config: engineTestConfig({ prune: { intervalMs: 100, batch: 2 } }),
      });
      apps.push(worker);
      await waitFor(
        () => events(old),
        (rows) => rows.length === 0,
      );
      expect(await events(recent)).toEqual(recent.map((id) => ({ lead_id: id, processed: true })));
      expect(await events(pending)).toEqual(pending.map((id) => ({ lead_id: id, processed: false })));
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // Released: the worker processes them; just processed, they are kept.
    await waitFor(
      () => events(pending),
      (rows) => rows.every((r) => r.processed),
    );
    expect(await events(pending)).toHaveLength(2);
    // The leads themselves are untouched.
    expect((await a.getLead(old[0])).first_name).toBe('Kept 0');
  });

  it('nothing references an event: the run log outlives pruned events', async () => {
    const refs = await quiet.sql<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint WHERE confrelid = 'domain_events'::regclass`,
    );
    expect(refs).toEqual([]);
  });
});
