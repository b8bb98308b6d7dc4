import { Client } from 'pg';
import { insertLead, leadRow } from '../support/lead-rows';
import { TestApp, TestWorkspace } from '../support/test-app';

describe('pipelines', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let key: string;

  const create = async (body: object, k = key) => {
    const res = await t.post('/api/v1/pipelines', body, { key: k });
    expect(res.status).toBe(201);
    return res.body.data;
  };
  const defaults = async () =>
    (
      await t.sql<{ id: number }>('SELECT id FROM pipelines WHERE workspace_id = $1 AND is_default', [ws.id])
    ).map((r) => r.id);

  beforeAll(async () => {
    t = await TestApp.start();
    ws = await t.workspace('pipes');
    key = await ws.key(['*']);
  });
  afterAll(() => t.close());

  it('creates a pipeline with defaults and shows it', async () => {
    const p = await create({ name: '  Sales  ' });
    expect(p).toEqual({
      id: expect.any(Number),
      name: 'Sales',
      description: null,
      is_default: false,
      stages: [],
      created_at: expect.stringMatching(/\+00:00$/),
      updated_at: expect.stringMatching(/\+00:00$/),
    });
    const res = await t.get(`/api/v1/pipelines/${p.id}`, { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: p });
  });

  it('creates inline stages in order and shows them ordered by position', async () => {
    const p = await create({
      name: 'Onboarding',
      description: 'New customers',
      stages: [{ name: 'Kickoff', probability: 10 }, { name: 'Setup' }, { name: 'Live', probability: 100 }],
    });
    expect(
      p.stages.map((s: { name: string; position: number; probability: number }) => [
        s.name,
        s.position,
        s.probability,
      ]),
    ).toEqual([
      ['Kickoff', 1, 10],
      ['Setup', 2, 0],
      ['Live', 3, 100],
    ]);
    expect(p.stages.every((s: { pipeline_id: number }) => s.pipeline_id === p.id)).toBe(true);
    // Reorder through the stages API; the show reflects the new order.
    const live = p.stages[2];
    await t.patch(`/api/v1/pipelines/${p.id}/stages/${live.id}`, { position: 1 }, { key });
    const shown = (await t.get(`/api/v1/pipelines/${p.id}`, { key })).body.data;
    expect(shown.stages.map((s: { name: string }) => s.name)).toEqual(['Live', 'Kickoff', 'Setup']);
    expect(shown.stages.map((s: { position: number }) => s.position)).toEqual([1, 2, 3]);
  });

  it('updates with PUT and PATCH (both partial)', async () => {
    const p = await create({ name: 'Partners', description: 'x' });
    const put = await t.put(`/api/v1/pipelines/${p.id}`, { description: 'Channel partners' }, { key });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ name: 'Partners', description: 'Channel partners' });
    const patch = await t.patch(
      `/api/v1/pipelines/${p.id}`,
      { name: 'PARTNERS', description: null },
      { key },
    );
    expect(patch.status).toBe(200);
    expect(patch.body.data).toMatchObject({ name: 'PARTNERS', description: null, is_default: false });
    expect(
      await t.sql('SELECT updated_at > created_at AS bumped FROM pipelines WHERE id = $1', [p.id]),
    ).toEqual([{ bumped: true }]);
    expect((await t.get(`/api/v1/pipelines/${p.id}`, { key })).body.data).toEqual(patch.body.data);
  });

  it('422 for a taken name, case-insensitive, on create and on update', async () => {
    const a = await create({ name: 'Renewals' });
    const b = await create({ name: 'Upsell' });
    for (const res of [
      await t.post('/api/v1/pipelines', { name: 'renewals' }, { key }),
      await t.patch(`/api/v1/pipelines/${b.id}`, { name: 'RENEWALS' }, { key }),
      await t.put(`/api/v1/pipelines/${b.id}`, { name: 'Renewals' }, { key }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual({ name: ['The name has already been taken.'] });
    }
    // Another workspace may use the name.
    const other = await t.workspace('pipes-other-name');
    await create({ name: 'Renewals' }, await other.key());
    expect((await t.get(`/api/v1/pipelines/${a.id}`, { key })).body.data.name).toBe('Renewals');
  });

  it('keeps at most one default: setting one clears the other', async () => {
    const a = await create({ name: 'Default A', is_default: true });
    expect(a.is_default).toBe(true);
    expect(await defaults()).toEqual([a.id]);
    const b = await create({ name: 'Default B', is_default: true });
    expect(await defaults()).toEqual([b.id]);
    expect((await t.get(`/api/v1/pipelines/${a.id}`, { key })).body.data.is_default).toBe(false);

    const res = await t.patch(`/api/v1/pipelines/${a.id}`, { is_default: true }, { key });
    expect(res.body.data.is_default).toBe(true);
    expect(await defaults()).toEqual([a.id]);
    // Setting it again on the current default keeps it.
    expect(
      (await t.put(`/api/v1/pipelines/${a.id}`, { is_default: true }, { key })).body.data.is_default,
    ).toBe(true);
    expect(await defaults()).toEqual([a.id]);

    expect((await t.patch(`/api/v1/pipelines/${a.id}`, { is_default: false }, { key })).status).toBe(200);
    expect(await defaults()).toEqual([]);
  });

  it('concurrent default switches and default creates leave exactly one default', async () => {
    const ps = [];
    for (let i = 0; i < 6; i++) ps.push(await create({ name: `Race ${i}` }));
    const results = await Promise.all([
      ...ps.map((p) => t.patch(`/api/v1/pipelines/${p.id}`, { is_default: true }, { key })),
      ...[1, 2].map((i) => t.post('/api/v1/pipelines', { name: `Race new ${i}`, is_default: true }, { key })),
    ]);
    expect(results.map((r) => r.status)).toEqual([...ps.map(() => 200), 201, 201]);
    expect(await defaults()).toHaveLength(1);
  });

  it('delete removes its stages and clears them from its leads', async () => {
    const p = await create({ name: 'Doomed', stages: [{ name: 'One' }, { name: 'Two' }] });
    const keep = await create({ name: 'Kept', stages: [{ name: 'K' }] });
    const lead = await insertLead(t, ws.id, { pipeline_id: p.id, pipeline_stage_id: p.stages[1].id });
    const other = await insertLead(t, ws.id, { pipeline_id: keep.id, pipeline_stage_id: keep.stages[0].id });

    const res = await t.delete(`/api/v1/pipelines/${p.id}`, { key });
    expect(res.status).toBe(204);
    expect((await t.get(`/api/v1/pipelines/${p.id}`, { key })).status).toBe(404);
    expect(await t.sql('SELECT id FROM pipeline_stages WHERE pipeline_id = $1', [p.id])).toEqual([]);
    expect(await leadRow(t, lead)).toMatchObject({ pipeline_id: null, pipeline_stage_id: null });
    expect(await leadRow(t, other)).toMatchObject({
      pipeline_id: keep.id,
      pipeline_stage_id: keep.stages[0].id,
    });
    expect((await t.delete(`/api/v1/pipelines/${p.id}`, { key })).status).toBe(404);
  });

  describe('list', () => {
    let lk: string;
    beforeAll(async () => {
      const w = await t.workspace('pipes-list');
      lk = await w.key(['read:pipelines', 'write:pipelines']);
      for (const name of ['Bravo', 'alpha', 'Charlie', 'delta', 'Echo', 'foxtrot', 'Golf'])
        await create({ name, stages: [{ name: `${name} 1` }, { name: `${name} 2` }] }, lk);
    });
    const names = (res: { body: { data: { name: string }[] } }) => res.body.data.map((p) => p.name);

    it('pages with meta and includes each pipeline’s ordered stages', async () => {
      const res = await t.get('/api/v1/pipelines?per_page=3&page=2&sort=name&direction=asc', { key: lk });
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual({ current_page: 2, last_page: 3, per_page: 3, total: 7, from: 4, to: 6 });
      expect(names(res)).toEqual(['delta', 'Echo', 'foxtrot']);
      for (const p of res.body.data)
        expect(p.stages.map((s: { name: string; position: number }) => [s.name, s.position])).toEqual([
          [`${p.name} 1`, 1],
          [`${p.name} 2`, 2],
        ]);
      expect(new URL(res.body.links.next).searchParams.get('sort')).toBe('name');
    });

    it('sorts by name (case-insensitive) and created_at, both directions', async () => {
      expect(
        names(await t.get('/api/v1/pipelines?sort=name&direction=desc&per_page=2', { key: lk })),
      ).toEqual(['Golf', 'foxtrot']);
      expect(
        names(await t.get('/api/v1/pipelines?sort=created_at&direction=asc&per_page=2', { key: lk })),
      ).toEqual(['Bravo', 'alpha']);
      expect(names(await t.get('/api/v1/pipelines?per_page=1', { key: lk }))).toEqual(['Golf']);
    });

    it('searches the name, case-insensitive, with wildcards taken literally', async () => {
      expect(names(await t.get('/api/v1/pipelines?search=ALP', { key: lk }))).toEqual(['alpha']);
      expect((await t.get('/api/v1/pipelines?search=%25', { key: lk })).body.data).toEqual([]);
    });

    it('loads the stages of a page in one query (no N+1)', async () => {
      const spy = jest.spyOn(Client.prototype, 'query');
      try {
        await t.get('/api/v1/pipelines?per_page=7', { key: lk });
        const stageQueries = spy.mock.calls.filter((c) => JSON.stringify(c[0]).includes('pipeline_stages'));
        expect(stageQueries).toHaveLength(1);
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('isolation, scopes and validation', () => {
    let foreign: number;
    beforeAll(async () => {
      const other = await t.workspace('pipes-foreign');
      foreign = (await create({ name: 'Theirs', is_default: true }, await other.key())).id;
    });

    it("404 for another workspace's pipeline on every route, and it is not listed", async () => {
      for (const res of [
        await t.get(`/api/v1/pipelines/${foreign}`, { key }),
        await t.put(`/api/v1/pipelines/${foreign}`, { name: 'Mine' }, { key }),
        await t.patch(`/api/v1/pipelines/${foreign}`, { is_default: true }, { key }),
        await t.delete(`/api/v1/pipelines/${foreign}`, { key }),
      ])
        expect(res.status).toBe(404);
      const all = await t.get('/api/v1/pipelines?per_page=100', { key });
      expect(all.body.data.map((p: { id: number }) => p.id)).not.toContain(foreign);
      expect(await t.sql('SELECT is_default FROM pipelines WHERE id = $1', [foreign])).toEqual([
        { is_default: true },
      ]);
    });

    it('403 without the scope', async () => {
      const p = await create({ name: 'Scoped' });
      const read = await ws.key(['read:pipelines']);
      const write = await ws.key(['write:pipelines']);
      const none = await ws.key(['read:tags']);
      for (const k of [write, none]) {
        expect((await t.get('/api/v1/pipelines', { key: k })).status).toBe(403);
        expect((await t.get(`/api/v1/pipelines/${p.id}`, { key: k })).status).toBe(403);
      }
      for (const k of [read, none]) {
        expect((await t.post('/api/v1/pipelines', { name: 'Nope' }, { key: k })).status).toBe(403);
        expect((await t.put(`/api/v1/pipelines/${p.id}`, { name: 'Nope' }, { key: k })).status).toBe(403);
        expect((await t.patch(`/api/v1/pipelines/${p.id}`, { name: 'Nope' }, { key: k })).status).toBe(403);
        expect((await t.delete(`/api/v1/pipelines/${p.id}`, { key: k })).status).toBe(403);
      }
      expect((await t.get(`/api/v1/pipelines/${p.id}`, { key: read })).status).toBe(200);
      expect((await t.delete(`/api/v1/pipelines/${p.id}`, { key: write })).status).toBe(204);
    });

    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(256) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'A', description: 5 }, 'description'],
      [{ name: 'A', is_default: 'yes' }, 'is_default'],
      [{ name: 'A', stages: 'New' }, 'stages'],
      [{ name: 'A', stages: [{ name: 'S', probability: 101 }] }, 'stages.0.probability'],
      [{ name: 'A', stages: [{ name: 'S', position: 1 }] }, 'stages.0.position'],
      [{ name: 'A', stages: [{}] }, 'stages.0.name'],
      [{ name: 'A', id: 9 }, 'id'],
      [{ name: 'A', workspace_id: 9 }, 'workspace_id'],
    ])('422 on create for %j', async (body, field) => {
      const res = await t.post('/api/v1/pipelines', body, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain(field);
    });

    it.each([
      [{ name: null }, 'name'],
      [{ is_default: null }, 'is_default'],
      [{ stages: [] }, 'stages'],
      [{ created_at: '2020-01-01' }, 'created_at'],
    ])('422 on update for %j', async (body, field) => {
      const p = await create({ name: `Upd ${field} ${Math.random()}` });
      const res = await t.patch(`/api/v1/pipelines/${p.id}`, body, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });

    it.each(['sort=stages', 'direction=up', 'stauts=new', 'per_page=101'])(
      '422 on list for %s',
      async (qs) => {
        const res = await t.get(`/api/v1/pipelines?${qs}`, { key });
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual([qs.split('=')[0]]);
      },
    );

    it('404 for ids that cannot exist', async () => {
      for (const id of ['abc', '0', '99999999999', '999999'])
        expect((await t.get(`/api/v1/pipelines/${id}`, { key })).status).toBe(404);
    });
  });
});
