import { TestApp } from '../support/test-app';
import { api, engineTestConfig, waitFor } from './engine-support';

jest.setTimeout(60_000);

/** Where PostgreSQL's autovacuum is off, the service vacuums its own tables (src/engine/vacuum-upkeep.ts). */
describe('vacuum upkeep', () => {
  const start = (vacuum: 'auto' | 'always') => {
    const config = engineTestConfig();
    return TestApp.start({
      config: { ...config, worker: { ...config.worker!, vacuum, vacuumIntervalMs: 200 } },
    });
  };
  const leadsStats = async (t: TestApp) =>
    (
      await t.sql<{ dead: number; vacuums: number }>(
        `SELECT n_dead_tup::int AS dead, vacuum_count::int AS vacuums
           FROM pg_stat_user_tables WHERE relname = 'leads' AND schemaname = current_schema()`,
      )
    )[0];
  /** 80 leads created and deleted through the API: 80 dead rows in `leads`, past autovacuum's threshold. */
  const churn = async (t: TestApp, slug: string) => {
    const key = await (await t.workspace(slug)).key();
    const leads = api(t, key);
    for (let i = 0; i < 80; i++) {
      const lead = await leads.lead({ first_name: `Gone ${i}` });
      expect((await t.delete(`/api/v1/leads/${lead.id}`, { key })).status).toBe(204);
    }
  };

  it('LEADHUB_VACUUM=always: the dead rows of deleted leads are vacuumed away', async () => {
    const t = await start('always');
    try {
      await churn(t, 'churn');
      const after = await waitFor(
        () => leadsStats(t),
        (s) => s.vacuums > 0 && s.dead < 80,
        30_000,
      );
      expect(after.vacuums).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('LEADHUB_VACUUM=auto (default) follows the server: vacuums only where autovacuum is off', async () => {
    const t = await start('auto');
    try {
      const [{ autovacuum }] = await t.sql<{ autovacuum: string }>(
        `SELECT current_setting('autovacuum') AS autovacuum`,
      );
      await churn(t, 'churn-auto');
      if (autovacuum === 'off') {
        await waitFor(
          () => leadsStats(t),
          (s) => s.vacuums > 0,
          30_000,
        );
      } else {
        // Rounds run every 200 ms: ten of them leave the table to autovacuum (no VACUUM of ours counted).
        await new Promise((r) => setTimeout(r, 2_000));
        expect((await leadsStats(t)).vacuums).toBe(0);
      }
    } finally {
      await t.close();
    }
  });
});
