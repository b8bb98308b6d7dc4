import { insertLead, leadTagNames } from '../support/lead-rows';
import { TestResponse, TestWorkspace, useTestApp } from '../support/test-app';

describe('tags', () => {
  const t = useTestApp();
  let ws: TestWorkspace;
  let key: string;

  const create = async (body: object, k = key) => {
    const res = await t.post('/api/v1/tags', body, { key: k });
    expect(res.status).toBe(201);
    return res.body.data;
  };
  const names = (res: TestResponse) => res.body.data.map((x: { name: string }) => x.name);

  beforeAll(async () => {
    ws = await t.workspace('tags');
    key = await ws.key(['*']);
  });

  it('creates a tag and shows it with leads_count', async () => {
    const tag = await create({ name: ' vip-client ', color: '#FF5733' });
    expect(tag).toEqual({
      id: expect.any(Number),
      name: 'vip-client',
      color: '#FF5733',
      leads_count: 0,
      created_at: expect.stringMatching(/\+00:00$/),
      updated_at: expect.stringMatching(/\+00:00$/),
    });
    await insertLead(t, ws.id, { tag_ids: [tag.id] });
    await insertLead(t, ws.id, { tag_ids: [tag.id] });
    const res = await t.get(`/api/v1/tags/${tag.id}`, { key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ...tag, leads_count: 2 });
    expect((await create({ name: 'no-colour' })).color).toBeNull();
  });

  it('updates with PUT and PATCH; color can be cleared', async () => {
    const tag = await create({ name: 'warm', color: '#00ff00' });
    const put = await t.put(`/api/v1/tags/${tag.id}`, { color: '#0000FF' }, { key });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ name: 'warm', color: '#0000FF' });
    const patch = await t.patch(`/api/v1/tags/${tag.id}`, { color: null, name: 'Warm' }, { key });
    expect(patch.body.data).toMatchObject({ name: 'Warm', color: null });
  });

  it('422 for a taken name, case-insensitive, on create and on update', async () => {
    await create({ name: 'Enterprise' });
    const b = await create({ name: 'smb' });
    for (const res of [
      await t.post('/api/v1/tags', { name: 'ENTERPRISE' }, { key }),
      await t.post('/api/v1/tags', { name: 'enterprise ' }, { key }),
      await t.patch(`/api/v1/tags/${b.id}`, { name: 'enterprise' }, { key }),
      await t.put(`/api/v1/tags/${b.id}`, { name: 'Enterprise' }, { key }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual({ name: ['The name has already been taken.'] });
    }
    expect((await t.patch(`/api/v1/tags/${b.id}`, { name: 'SMB' }, { key })).body.data.name).toBe('SMB');
    const other = await t.workspace('tags-other-name');
    await create({ name: 'enterprise' }, await other.key());
  });

  it('renaming renames the tag on every lead', async () => {
    const tag = await create({ name: 'hot-lead' });
    const keep = await create({ name: 'cold-lead' });
    const l1 = await insertLead(t, ws.id, { tag_ids: [tag.id, keep.id] });
    const l2 = await insertLead(t, ws.id, { tag_ids: [tag.id] });
    const res = await t.patch(`/api/v1/tags/${tag.id}`, { name: 'burning-lead' }, { key });
    expect(res.body.data).toMatchObject({ name: 'burning-lead', leads_count: 2 });
    expect(await leadTagNames(t, l1)).toEqual(['burning-lead', 'cold-lead']);
    expect(await leadTagNames(t, l2)).toEqual(['burning-lead']);
  });

  it('delete removes the tag from every lead', async () => {
    const tag = await create({ name: 'doomed' });
    const keep = await create({ name: 'kept' });
    const l1 = await insertLead(t, ws.id, { tag_ids: [tag.id, keep.id] });
    const l2 = await insertLead(t, ws.id, { tag_ids: [tag.id] });
    expect((await t.delete(`/api/v1/tags/${tag.id}`, { key })).status).toBe(204);
    expect(await t.sql('SELECT lead_id FROM lead_tags WHERE tag_id = $1', [tag.id])).toEqual([]);
    expect(await leadTagNames(t, l1)).toEqual(['kept']);
    expect(await leadTagNames(t, l2)).toEqual([]);
    expect(await t.sql('SELECT id FROM leads WHERE id = ANY($1) ORDER BY id', [[l1, l2]])).toHaveLength(2);
    expect((await t.get(`/api/v1/tags/${tag.id}`, { key })).status).toBe(404);
    expect((await t.delete(`/api/v1/tags/${tag.id}`, { key })).status).toBe(404);
  });

  describe('list', () => {
    let lk: string;
    beforeAll(async () => {
      const w = await t.workspace('tags-list');
      lk = await w.key(['read:tags', 'write:tags']);
      const counts: Record<string, number> = { beta: 3, Alpha: 1, gamma: 0, Delta: 2, under_score: 0 };
      for (const [name, n] of Object.entries(counts)) {
        const tag = await create({ name }, lk);
        for (let i = 0; i < n; i++) await insertLead(t, w.id, { tag_ids: [tag.id] });
      }
    });

    it('pages with meta and links', async () => {
      const res = await t.get('/api/v1/tags?per_page=2&page=2&sort=name&direction=asc', { key: lk });
      expect(res.body.meta).toEqual({ current_page: 2, last_page: 3, per_page: 2, total: 5, from: 3, to: 4 });
      expect(names(res)).toEqual(['Delta', 'gamma']);
      expect(res.body.data.map((x: { leads_count: number }) => x.leads_count)).toEqual([2, 0]);
    });

    it('sorts by name, created_at and leads_count in both directions', async () => {
      const get = async (qs: string) => names(await t.get(`/api/v1/tags?${qs}`, { key: lk }));
      expect(await get('sort=name&direction=desc')).toEqual([
        'under_score',
        'gamma',
        'Delta',
        'beta',
        'Alpha',
      ]);
      expect(await get('sort=created_at&direction=asc')).toEqual([
        'beta',
        'Alpha',
        'gamma',
        'Delta',
        'under_score',
      ]);
      expect(await get('')).toEqual(['under_score', 'Delta', 'gamma', 'Alpha', 'beta']);
      expect(await get('sort=leads_count&direction=desc&per_page=3')).toEqual(['beta', 'Delta', 'Alpha']);
      expect((await get('sort=leads_count&direction=asc')).slice(2)).toEqual(['Alpha', 'Delta', 'beta']);
    });

    it('searches the name, case-insensitive, wildcards literal', async () => {
      const get = async (qs: string) =>
        names(await t.get(`/api/v1/tags?${qs}&sort=name&direction=asc`, { key: lk }));
      expect(await get('search=ALP')).toEqual(['Alpha']);
      expect(await get('search=ta')).toEqual(['beta', 'Delta']);
      expect(await get('search=_')).toEqual(['under_score']);
      expect(await get('search=%25')).toEqual([]);
    });

    it.each(['sort=color', 'direction=up', 'per_page=0', 'q=x'])('422 for %s', async (qs) => {
      const res = await t.get(`/api/v1/tags?${qs}`, { key: lk });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([qs.split('=')[0]]);
    });
  });

  it("404 for another workspace's tag on every route, and it is not listed", async () => {
    const other = await t.workspace('tags-foreign');
    const theirs = await create({ name: 'theirs', color: '#111111' }, await other.key());
    for (const res of [
      await t.get(`/api/v1/tags/${theirs.id}`, { key }),
      await t.put(`/api/v1/tags/${theirs.id}`, { name: 'mine' }, { key }),
      await t.patch(`/api/v1/tags/${theirs.id}`, { color: '#222222' }, { key }),
      await t.delete(`/api/v1/tags/${theirs.id}`, { key }),
    ])
      expect(res.status).toBe(404);
    expect((await t.get('/api/v1/tags?search=theirs', { key })).body.data).toEqual([]);
    expect(await t.sql('SELECT name, color FROM tags WHERE id = $1', [theirs.id])).toEqual([
      { name: 'theirs', color: '#111111' },
    ]);
  });

  it('403 without the scope', async () => {
    const tag = await create({ name: 'scoped' });
    const read = await ws.key(['read:tags']);
    const write = await ws.key(['write:tags']);
    for (const k of [write, await ws.key(['read:leads'])]) {
      expect((await t.get('/api/v1/tags', { key: k })).status).toBe(403);
      expect((await t.get(`/api/v1/tags/${tag.id}`, { key: k })).status).toBe(403);
    }
    for (const k of [read, await ws.key(['write:pipelines'])]) {
      expect((await t.post('/api/v1/tags', { name: 'n' }, { key: k })).status).toBe(403);
      expect((await t.put(`/api/v1/tags/${tag.id}`, { name: 'n' }, { key: k })).status).toBe(403);
      expect((await t.patch(`/api/v1/tags/${tag.id}`, { name: 'n' }, { key: k })).status).toBe(403);
      expect((await t.delete(`/api/v1/tags/${tag.id}`, { key: k })).status).toBe(403);
    }
    expect((await t.delete(`/api/v1/tags/${tag.id}`, { key: write })).status).toBe(204);
  });

  it.each([
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: 'a', color: 'red' }, 'color'],
    [{ name: 'a', color: '#FFF' }, 'color'],
    [{ name: 'a', color: '#GGGGGG' }, 'color'],
    [{ name: 'a', leads_count: 3 }, 'leads_count'],
    [{ name: 'a', id: 3 }, 'id'],
  ])('422 on create for %j', async (body, field) => {
    const res = await t.post('/api/v1/tags', body, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toContain(field);
  });

  it.each([
    [{ name: null }, 'name'],
    [{ name: '  ' }, 'name'],
    [{ color: 'red' }, 'color'],
    [{ created_at: '2020-01-01T00:00:00Z' }, 'created_at'],
  ])('422 on update for %j', async (body, field) => {
    const tag = await create({ name: `u-${Math.random()}` });
    const res = await t.patch(`/api/v1/tags/${tag.id}`, body, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });
});
