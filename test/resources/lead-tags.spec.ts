import { events } from '../support/leads';
import { useTestApp } from '../support/test-app';

describe('lead tags: POST /leads/{id}/tags, DELETE /leads/{id}/tags/{tag}', () => {
  const t = useTestApp();
  let key: string;
  let ws: { id: number };
  let id: number;

  beforeAll(async () => {
    const w = await t.workspace('lead-tags');
    ws = w;
    key = await w.key(['*']);
  });

  beforeEach(async () => {
    id = (await t.post('/api/v1/leads', { first_name: 'Tagged', tags: ['existing'] }, { key })).body.data.id;
  });

  it('adds a tag (creating it) and returns the lead', async () => {
    const res = await t.post(`/api/v1/leads/${id}/tags`, { tag: '  vip-client ' }, { key });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, first_name: 'Tagged', tags: ['existing', 'vip-client'] });
    const tags = await t.sql('SELECT name FROM tags WHERE workspace_id = $1 ORDER BY name', [ws.id]);
    expect(tags.map((r) => r.name)).toContain('vip-client');
    const rows = await events(t, id);
    expect(rows.slice(-2).map((r) => [r.type, r.payload.changes])).toEqual([
      ['lead.updated', { tags: { from: ['existing'], to: ['existing', 'vip-client'] } }],
      ['tag.added', { tag: { from: null, to: 'vip-client' } }],
    ]);
  });

  it('is idempotent: adding it again (any case) changes nothing and records no event', async () => {
    await t.post(`/api/v1/leads/${id}/tags`, { tag: 'vip' }, { key });
    const before = (await t.get(`/api/v1/leads/${id}`, { key })).body.data;
    const n = (await events(t, id)).length;
    const again = await t.post(`/api/v1/leads/${id}/tags`, { tag: 'VIP' }, { key });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(before);
    expect(await events(t, id)).toHaveLength(n);
    const [{ c }] = await t.sql<{ c: number }>(
      `SELECT count(*)::int AS c FROM tags WHERE workspace_id = $1 AND lower(name) = 'vip'`,
      [ws.id],
    );
    expect(c).toBe(1);
  });

  it('concurrent adds of a new tag create it once', async () => {
    const results = await Promise.all(
      [...Array(10)].map(() => t.post(`/api/v1/leads/${id}/tags`, { tag: 'Race-Tag' }, { key })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const rows = await t.sql(`SELECT id FROM tags WHERE workspace_id = $1 AND lower(name) = 'race-tag'`, [
      ws.id,
    ]);
    expect(rows).toHaveLength(1);
    expect((await t.get(`/api/v1/leads/${id}`, { key })).body.data.tags).toEqual(['existing', 'Race-Tag']);
  });

  it('removes a tag by name, case-insensitively, and keeps the tag itself', async () => {
    const res = await t.delete(`/api/v1/leads/${id}/tags/EXISTING`, { key });
    expect(res.status).toBe(200);
    expect(res.body.data.tags).toEqual([]);
    expect(
      await t.sql(`SELECT id FROM tags WHERE workspace_id = $1 AND name = 'existing'`, [ws.id]),
    ).toHaveLength(1);
    const last = (await events(t, id)).pop()!;
    expect(last.type).toBe('lead.updated');
    expect(last.payload.changes).toEqual({ tags: { from: ['existing'], to: [] } });
  });

  it('removes names with spaces and slashes (URL-encoded)', async () => {
    await t.post(`/api/v1/leads/${id}/tags`, { tag: 'a b/c' }, { key });
    const res = await t.delete(`/api/v1/leads/${id}/tags/${encodeURIComponent('A B/C')}`, { key });
    expect(res.status).toBe(200);
    expect(res.body.data.tags).toEqual(['existing']);
  });

  it('removing a tag the lead does not have (or an unknown tag) is an idempotent 200', async () => {
    await t.post('/api/v1/tags', { name: 'elsewhere' }, { key });
    for (const tag of ['elsewhere', 'never-existed']) {
      const res = await t.delete(`/api/v1/leads/${id}/tags/${tag}`, { key });
      expect(res.status).toBe(200);
      expect(res.body.data.tags).toEqual(['existing']);
    }
  });

  it.each([
    [{}, 'tag'],
    [{ tag: '' }, 'tag'],
    [{ tag: '   ' }, 'tag'],
    [{ tag: 5 }, 'tag'],
    [{ tag: null }, 'tag'],
    [{ tag: 'x'.repeat(101) }, 'tag'],
    [{ tag: 'ok', extra: 1 }, 'extra'],
  ])('422 for %j', async (body, field) => {
    const res = await t.post(`/api/v1/leads/${id}/tags`, body, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });

  it('404 for an unknown lead on both routes', async () => {
    expect((await t.post('/api/v1/leads/999999/tags', { tag: 'x' }, { key })).status).toBe(404);
    expect((await t.delete('/api/v1/leads/999999/tags/x', { key })).status).toBe(404);
    expect((await t.post('/api/v1/leads/abc/tags', { tag: 'x' }, { key })).status).toBe(404);
  });

  it('the tag filter and tags resource see the new assignment', async () => {
    await t.post(`/api/v1/leads/${id}/tags`, { tag: 'filter-me' }, { key });
    const res = await t.get('/api/v1/leads?tag=FILTER-ME', { key });
    expect(res.body.data.map((l: { id: number }) => l.id)).toEqual([id]);
    const tags = await t.get('/api/v1/tags?search=filter-me', { key });
    expect(tags.body.data[0].leads_count).toBe(1);
  });
});
