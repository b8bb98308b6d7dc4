import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { TagLeadCounts1764002400000 } from '../../src/database/migrations/1764002400000-TagLeadCounts';
import { TestApp } from '../support/test-app';

interface TagBody {
  id: number;
  name: string;
  leads_count: number;
}

/** A tag's leads_count is kept by triggers (migration TagLeadCounts): it must equal its lead_tags rows after anything. */
describe('tags: leads_count stays exact', () => {
  let t: TestApp;
  let key: string;
  let ws: number;

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('tag-counts');
    ws = w.id;
    key = await w.key(['*']);
  });
  afterAll(() => t.close());

  const NAMES = ['red', 'green', 'blue', 'amber'];
  const pick = (i: number, n: number) => NAMES.filter((_, j) => (i + j) % n === 0);

  /** Every tag of the workspace as GET /tags shows it, against a count of its lead_tags rows. */
  async function expectExact() {
    const truth = await t.sql<{ id: number; n: number }>(
      `SELECT t.id, count(lt.tag_id)::int AS n FROM tags t LEFT JOIN lead_tags lt ON lt.tag_id = t.id
        WHERE t.workspace_id = $1 GROUP BY t.id`,
      [ws],
    );
    const res = await t.get('/api/v1/tags?per_page=100', { key });
    expect(res.status).toBe(200);
    const shown = Object.fromEntries(res.body.data.map((x: TagBody) => [x.id, x.leads_count]));
    expect(shown).toEqual(Object.fromEntries(truth.map((r) => [r.id, r.n])));
    for (const r of truth.slice(0, 3))
      expect((await t.get(`/api/v1/tags/${r.id}`, { key })).body.data.leads_count).toBe(r.n);
    const byCount = await t.get('/api/v1/tags?per_page=100&sort=leads_count&direction=desc', { key });
    const counts = byCount.body.data.map((x: TagBody) => x.leads_count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    return truth;
  }

  it('through concurrent creates, tag routes, replaced tags, inbound merges, deletes of leads and of tags', async () => {
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.post('/api/v1/leads', { first_name: `L${i}`, email: `l${i}@tc.test`, tags: pick(i, 2) }, { key }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    const ids: number[] = created.map((r) => r.body.data.id);
    await expectExact();

    await Promise.all([
      ...ids.slice(0, 8).map((id) => t.post(`/api/v1/leads/${id}/tags`, { tag: 'Amber' }, { key })),
      ...ids.slice(4, 12).map((id) => t.delete(`/api/v1/leads/${id}/tags/red`, { key })),
      ...ids.slice(12, 18).map((id) => t.patch(`/api/v1/leads/${id}`, { tags: ['blue', 'violet'] }, { key })),
      ...ids.slice(18, 20).map((id) => t.patch(`/api/v1/leads/${id}`, { tags: [] }, { key })),
      ...ids.slice(20, 24).map((id) => t.delete(`/api/v1/leads/${id}`, { key })),
    ]);
    await expectExact();

    // Inbound duplicates merge into the lead they repeat, adding their tags to it.
    for (const i of [0, 1, 2]) {
      const res = await t.post(
        `/api/inbound/leads?tenant=tag-counts`,
        {
          email: `l${i}@tc.test`,
          first_name: `L${i}`,
          tags: ['inbound'],
        },
        { key },
      );
      expect(res.status).toBeLessThan(300);
    }
    const tags = await expectExact();
    expect(tags.every((r) => r.n >= 0)).toBe(true);

    // Deleting a tag takes it off its leads; the other tags' counts stay.
    const blue = (
      await t.sql<{ id: number }>(`SELECT id FROM tags WHERE workspace_id = $1 AND name = 'blue'`, [ws])
    )[0];
    expect((await t.delete(`/api/v1/tags/${blue.id}`, { key })).status).toBe(204);
    await expectExact();
    expect(await t.sql(`SELECT 1 FROM tag_lead_counts WHERE tag_id = $1`, [blue.id])).toEqual([]);
  });

  it('the migration counts the tags that already have leads', async () => {
    const before = await expectExact();
    expect(before.some((r) => r.n > 0)).toBe(true);
    const ds = new DataSource({ ...dataSourceOptions({ url: t.databaseUrl }), poolSize: 1 });
    await ds.initialize();
    try {
      const runner = ds.createQueryRunner();
      await runner.startTransaction(); // as migrations run
      await new TagLeadCounts1764002400000().down(runner);
      await new TagLeadCounts1764002400000().up(runner);
      await runner.commitTransaction();
      await runner.release();
    } finally {
      await ds.destroy();
    }
    expect(await expectExact()).toEqual(before);
  });

  it('a lead_tags row is never updated in place (the counts would not see it)', async () => {
    await expect(t.sql(`UPDATE lead_tags SET tag_id = tag_id`)).rejects.toThrow(/never updated/);
  });
});
