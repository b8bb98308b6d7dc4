import { Client } from 'pg';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, Receiver, waitFor } from './engine-support';

describe('automation engine: durability and several workers', () => {
  let receiver: Receiver;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await receiver.close();
  });

  const start = async (o: { databaseUrl?: string; worker: boolean }) => {
    const app = await TestApp.start({
      databaseUrl: o.databaseUrl,
      config: engineTestConfig({ worker: o.worker }),
    });
    apps.push(app);
    return app;
  };

  it('an event claimed by a worker that died is run by another one, once', async () => {
    const quiet = await start({ worker: false }); // the API without a worker
    const ws = await quiet.workspace('crash');
    const a = api(quiet, await ws.key());
    const automation = await a.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'add_tag', tag: 'recovered' }],
    });
    const lead = await a.lead({ first_name: 'Crash' });

    // A worker claims the event the way the engine does, then dies before committing.
    const dying = new Client({ connectionString: quiet.databaseUrl });
    await dying.connect();
    dying.on('error', () => undefined);
    await dying.query('BEGIN');
    const claimed = await dying.query(
      'SELECT id FROM domain_events WHERE processed_at IS NULL ORDER BY id LIMIT 50 FOR UPDATE SKIP LOCKED',
    );
    expect(claimed.rows.length).toBeGreaterThan(0);

    const worker = await start({ databaseUrl: quiet.databaseUrl, worker: true });
    // While the claim holds, the live worker skips the event (several polls of 100 ms).
    await new Promise((r) => setTimeout(r, 500));
    expect(await a.runs(automation.id)).toEqual([]);

    const [{ pid }] = (await dying.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    await worker.sql('SELECT pg_terminate_backend($1)', [pid]);
    await dying.end().catch(() => undefined);

    const runs = await waitFor(
      () => a.runs(automation.id),
      (r) => r.length > 0,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'succeeded', lead_id: lead.id });
    expect((await a.getLead(lead.id)).tags).toEqual(['recovered']);
    const [{ n }] = await worker.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM domain_events WHERE processed_at IS NULL',
    );
    expect(n).toBe(0);
  });

  it('two instances on one database handle each event exactly once', async () => {
    const one = await start({ worker: true });
    const two = await start({ databaseUrl: one.databaseUrl, worker: true });
    const ws = await one.workspace('pair');
    const key = await ws.key(['*'], { rateLimit: 1_000_000 });
    const a1 = api(one, key);
    const a2 = api(two, key);
    const automation = await a1.automation({
      trigger: { type: 'lead.created' },
      actions: [
        { type: 'add_tag', tag: 'once' },
        { type: 'send_webhook', url: receiver.url('/pair') },
      ],
    });
    const N = 40;
    const leads = await Promise.all(
      Array.from({ length: N }, (_, i) => (i % 2 ? a1 : a2).lead({ first_name: `Lead ${i}` })),
    );
    await waitFor(
      async () => receiver.at('/pair').length,
      (n) => n >= N,
      20_000,
    );
    const perEvent = await one.sql<{ event_id: string; n: number }>(
      'SELECT event_id, count(*)::int AS n FROM automation_runs WHERE automation_id = $1 GROUP BY event_id',
      [automation.id],
    );
    expect(perEvent).toHaveLength(N);
    expect(perEvent.every((r) => r.n === 1)).toBe(true);
    expect((await a2.getAutomation(automation.id)).run_count).toBe(N);
    const ids = receiver.at('/pair').map((r) => r.headers['x-leadhub-delivery']);
    expect(new Set(ids).size).toBe(N);
    expect(ids).toHaveLength(N);
    const bodies = receiver.at('/pair').map((r) => JSON.parse(r.body).data.lead.id);
    expect(new Set(bodies)).toEqual(new Set(leads.map((l) => l.id)));
    for (const l of leads.slice(0, 3)) expect((await a1.getLead(l.id)).tags).toEqual(['once']);
  });
});
