import { TestApp } from '../support/test-app';
import { api, engineTestConfig, Receiver, waitFor } from './engine-support';

describe('automation engine: two workers keep each lead’s events in order', () => {
  let receiver: Receiver;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await receiver.close();
  });

  // 33 s on a quiet machine, over 60 s when CI shares the cores: a bound for a hang, not for speed.
  it('runs each lead’s updates in the order they were made, each once', async () => {
    // The backlog is written without a worker, then two workers start on it together.
    const quiet = await TestApp.start({ config: engineTestConfig({ worker: false }) });
    apps.push(quiet);
    const ws = await quiet.workspace('order');
    const a = api(quiet, await ws.key(['*'], { rateLimit: 1_000_000 }));
    const automation = await a.automation({
      trigger: { type: 'lead.updated' },
      actions: [{ type: 'send_webhook', url: receiver.url('/order') }],
    });
    const LEADS = 5;
    const STEPS = 40;
    const leads = await Promise.all(
      Array.from({ length: LEADS }, (_, i) => a.lead({ first_name: `Ordered ${i}` })),
    );
    // Each lead's updates one after another (so in a known order); the leads' sequences interleave.
    await Promise.all(
      leads.map(async (lead) => {
        for (let step = 1; step <= STEPS; step++) await a.patchLead(lead.id, { company: `step ${step}` });
      }),
    );
    const total = LEADS * STEPS;

    const workers = await Promise.all(
      [1, 2].map(() => TestApp.start({ databaseUrl: quiet.databaseUrl, config: engineTestConfig() })),
    );
    apps.push(...workers);
    await waitFor(
      async () =>
        (
          await quiet.sql<{ n: number }>(
            'SELECT count(*)::int AS n FROM automation_runs WHERE automation_id = $1',
            [automation.id],
          )
        )[0].n,
      (n) => n >= total,
      60_000,
    );

    // Run log ids are taken as runs are written: a lead's runs in id order are its events in the order made.
    const runs = await quiet.sql<{ lead_id: number; event_id: string; company: string }>(
      `SELECT r.lead_id, r.event_id, e.payload->'changes'->'company'->>'to' AS company
         FROM automation_runs r JOIN domain_events e ON e.id = r.event_id
        WHERE r.automation_id = $1 ORDER BY r.id`,
      [automation.id],
    );
    expect(runs).toHaveLength(total);
    expect(new Set(runs.map((r) => r.event_id)).size).toBe(total);
    for (const lead of leads) {
      const seen = runs.filter((r) => r.lead_id === lead.id).map((r) => r.company);
      expect(seen).toEqual(Array.from({ length: STEPS }, (_, i) => `step ${i + 1}`));
    }
    // Each webhook once, too.
    await waitFor(
      async () => receiver.at('/order').length,
      (n) => n >= total,
      60_000,
    );
    const deliveries = receiver.at('/order').map((r) => r.headers['x-leadhub-delivery']);
    expect(new Set(deliveries).size).toBe(total);
  }, 180_000);
});
