import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { IntegrationsAtWork1764001500000 } from '../../src/database/migrations/1764001500000-IntegrationsAtWork';
import { createTestDatabase } from '../support/db';

describe('migration IntegrationsAtWork', () => {
  it('turns stored configs into the new catalog: Zapier hooks and webhooks subscribe to lead.created', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource({ ...dataSourceOptions({ url: db.url }), poolSize: 1 });
    await ds.initialize();
    try {
      const runner = ds.createQueryRunner();
      await new IntegrationsAtWork1764001500000().down(runner);
      const [{ id: ws }] = await runner.query(
        `INSERT INTO workspaces (slug, name) VALUES ('m', 'M') RETURNING id`,
      );
      const insert = (type: string, config: object) =>
        runner.query(`INSERT INTO integrations (workspace_id, type, name, config) VALUES ($1, $2, $2, $3)`, [
          ws,
          type,
          JSON.stringify(config),
        ]);
      await insert('zapier', { hook_url: 'https://hooks.zapier.com/hooks/catch/1/abc/' });
      await insert('webhook', { url: 'https://example.com/hook' });
      await insert('google_ads', {
        customer_id: '123-456-7890',
        developer_token: 'v1:x',
        webhook_key: 'v1:y',
      });
      await new IntegrationsAtWork1764001500000().up(runner);
      const rows: { type: string; config: object; receiver_token: string }[] = await runner.query(
        `SELECT type, config, receiver_token FROM integrations ORDER BY id`,
      );
      expect(rows.map((r) => [r.type, r.config])).toEqual([
        ['webhook', { url: 'https://hooks.zapier.com/hooks/catch/1/abc/', event_types: ['lead.created'] }],
        ['webhook', { url: 'https://example.com/hook', event_types: ['lead.created'] }],
        ['google_ads', { webhook_key: 'v1:y' }],
      ]);
      expect(new Set(rows.map((r) => r.receiver_token)).size).toBe(3);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.receiver_token))).toBe(true);
      await runner.release();
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
