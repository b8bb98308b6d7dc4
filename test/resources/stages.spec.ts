import { insertLead, leadRow } from '../support/lead-rows';
import { TestApp, TestWorkspace } from '../support/test-app';

interface StageBody {
  id: number;
  name: string;
  position: number;
}

describe('pipeline stages', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let key: string;

  const newPipeline = async (stages: string[] = [], k = key) => {
    const res = await t.post(
      '/api/v1/pipelines',
      { name: `P ${Math.random()}`, stages: stages.map((name) => ({ name })) },
      { key: k },
    );
    expect(res.status).toBe(201);
    return res.body.data as { id: number; stages: StageBody[] };
  };
  const url = (pid: number, sid?: number) => `/api/v1/pipelines/${pid}/stages${sid ? `/${sid}` : ''}`;
  /** Names in position order, as the database holds them; asserts positions are 1..n. */
  const order = async (pid: number) => {
    const rows = await t.sql<{ name: string; position: number }>(
      'SELECT name, position FROM pipeline_stages WHERE pipeline_id = $1 ORDER BY position',
      [pid],
    );
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
    return rows.map((r) => r.name);
  };
  const byName = async (pid: number) => {
    const rows = await t.sql<{ id: number; name: string }>(
      'SELECT id, name FROM pipeline_stages WHERE pipeline_id = $1',
      [pid],
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.id]));
  };

  beforeAll(async () => {
    t = await TestApp.start();
    ws = await t.workspace('stages');
    key = await ws.key(['*']);
  });
  afterAll(() => t.close());

  it('creates stages last by default, with every field', async () => {
    const p = await newPipeline();
    const a = await t.post(url(p.id), { name: 'Lead in', probability: 10 }, { key });
    expect(a.status).toBe(201);
    expect(a.body.data).toEqual({
      id: expect.any(Number),
      pipeline_id: p.id,
      name: 'Lead in',
      position: 1,
      probability: 10,
      created_at: expect.stringMatching(/\+00:00$/),
      updated_at: expect.stringMatching(/\+00:00$/),
    });
    const b = await t.post(url(p.id), { name: 'Won' }, { key });
    expect(b.body.data).toMatchObject({ position: 2, probability: 0 });
    expect(await order(p.id)).toEqual(['Lead in', 'Won']);
    const shown = await t.get(url(p.id, a.body.data.id), { key });
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ data: a.body.data });
  });

  it('inserts at a given position and shifts the rest; past the end goes last', async () => {
    const p = await newPipeline(['A', 'B', 'C']);
    const x = await t.post(url(p.id), { name: 'X', position: 2 }, { key });
    expect(x.body.data.position).toBe(2);
    expect(await order(p.id)).toEqual(['A', 'X', 'B', 'C']);
    await t.post(url(p.id), { name: 'First', position: 1 }, { key });
    expect(await order(p.id)).toEqual(['First', 'A', 'X', 'B', 'C']);
    const last = await t.post(url(p.id), { name: 'Last', position: 99 }, { key });
    expect(last.body.data.position).toBe(6);
    expect(await order(p.id)).toEqual(['First', 'A', 'X', 'B', 'C', 'Last']);
  });

  it('moves a stage with PATCH position (down, up, to the end) and keeps positions gap-free', async () => {
    const p = await newPipeline(['A', 'B', 'C', 'D', 'E']);
    const ids = await byName(p.id);
    const down = await t.patch(url(p.id, ids.A), { position: 4 }, { key });
    expect(down.body.data.position).toBe(4);
    expect(await order(p.id)).toEqual(['B', 'C', 'D', 'A', 'E']);
    await t.patch(url(p.id, ids.E), { position: 1 }, { key });
    expect(await order(p.id)).toEqual(['E', 'B', 'C', 'D', 'A']);
    const end = await t.put(url(p.id, ids.B), { position: 50, name: 'Bee', probability: 55 }, { key });
    expect(end.body.data).toMatchObject({ position: 5, name: 'Bee', probability: 55 });
    expect((await t.get(url(p.id, ids.B), { key })).body.data).toEqual(end.body.data);
    expect(await order(p.id)).toEqual(['E', 'C', 'D', 'A', 'Bee']);
    await t.patch(url(p.id, ids.C), { position: 2 }, { key }); // no move
    expect(await order(p.id)).toEqual(['E', 'C', 'D', 'A', 'Bee']);
    const list = await t.get(url(p.id), { key });
    expect(list.body.data.map((s: StageBody) => [s.name, s.position])).toEqual([
      ['E', 1],
      ['C', 2],
      ['D', 3],
      ['A', 4],
      ['Bee', 5],
    ]);
  });

  it('delete closes the gap and clears the stage from its leads', async () => {
    const p = await newPipeline(['A', 'B', 'C']);
    const ids = await byName(p.id);
    const inB = await insertLead(t, ws.id, { pipeline_id: p.id, pipeline_stage_id: ids.B });
    const inC = await insertLead(t, ws.id, { pipeline_id: p.id, pipeline_stage_id: ids.C });
    expect((await t.delete(url(p.id, ids.B), { key })).status).toBe(204);
    expect(await order(p.id)).toEqual(['A', 'C']);
    expect(await leadRow(t, inB)).toMatchObject({ pipeline_id: p.id, pipeline_stage_id: null });
    expect(await leadRow(t, inC)).toMatchObject({ pipeline_id: p.id, pipeline_stage_id: ids.C });
    expect((await t.get(url(p.id, ids.B), { key })).status).toBe(404);
    expect((await t.delete(url(p.id, ids.B), { key })).status).toBe(404);
  });

  it('concurrent inserts, moves and deletes keep positions 1..n', async () => {
    const p = await newPipeline(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    const ids = await byName(p.id);
    const results = await Promise.all([
      t.patch(url(p.id, ids.S1), { position: 6 }, { key }),
      t.patch(url(p.id, ids.S6), { position: 1 }, { key }),
      t.post(url(p.id), { name: 'N1', position: 3 }, { key }),
      t.post(url(p.id), { name: 'N2' }, { key }),
      t.delete(url(p.id, ids.S3), { key }),
      t.patch(url(p.id, ids.S4), { position: 2 }, { key }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201, 201, 204]);
    expect((await order(p.id)).sort()).toEqual(['N1', 'N2', 'S1', 'S2', 'S4', 'S5', 'S6']);
  });

  it('lists stages paginated, ordered by position', async () => {
    const p = await newPipeline(['1', '2', '3', '4', '5']);
    const res = await t.get(`${url(p.id)}?per_page=2&page=2`, { key });
    expect(res.status).toBe(200);
    expect(res.body.data.map((s: StageBody) => s.name)).toEqual(['3', '4']);
    expect(res.body.meta).toEqual({ current_page: 2, last_page: 3, per_page: 2, total: 5, from: 3, to: 4 });
    expect(res.body.links.next).toMatch(/per_page=2/);
    const empty = await t.get(url((await newPipeline()).id), { key });
    expect(empty.body.meta).toMatchObject({ total: 0, from: null, to: null, last_page: 1 });
    for (const qs of ['per_page=0', 'sort=name', 'direction=asc'])
      expect((await t.get(`${url(p.id)}?${qs}`, { key })).status).toBe(422);
  });

  it("404 for a stage reached through another pipeline's id", async () => {
    const p = await newPipeline(['Mine']);
    const q = await newPipeline(['Other']);
    const sid = q.stages[0].id;
    for (const res of [
      await t.get(url(p.id, sid), { key }),
      await t.put(url(p.id, sid), { name: 'Hijack' }, { key }),
      await t.patch(url(p.id, sid), { position: 1 }, { key }),
      await t.delete(url(p.id, sid), { key }),
    ])
      expect(res.status).toBe(404);
    expect(await order(q.id)).toEqual(['Other']);
  });

  it("404 for another workspace's pipeline and stages on every route", async () => {
    const other = await t.workspace('stages-foreign');
    const theirs = await newPipeline(['Theirs'], await other.key());
    const sid = theirs.stages[0].id;
    const mine = await newPipeline(['Mine']);
    for (const res of [
      await t.get(url(theirs.id), { key }),
      await t.post(url(theirs.id), { name: 'Mine' }, { key }),
      await t.get(url(theirs.id, sid), { key }),
      await t.put(url(theirs.id, sid), { name: 'Mine' }, { key }),
      await t.patch(url(theirs.id, sid), { name: 'Mine' }, { key }),
      await t.delete(url(theirs.id, sid), { key }),
      // Their stage through my pipeline.
      await t.get(url(mine.id, sid), { key }),
      await t.delete(url(mine.id, sid), { key }),
    ])
      expect(res.status).toBe(404);
    expect(await order(theirs.id)).toEqual(['Theirs']);
    expect((await t.get(url(999999), { key })).status).toBe(404);
    expect((await t.get(`${url(mine.id)}/0`, { key })).status).toBe(404);
  });

  it('403 without the scope', async () => {
    const p = await newPipeline(['A']);
    const sid = p.stages[0].id;
    const read = await ws.key(['read:pipelines']);
    const write = await ws.key(['write:pipelines']);
    for (const k of [write, await ws.key(['read:leads'])]) {
      expect((await t.get(url(p.id), { key: k })).status).toBe(403);
      expect((await t.get(url(p.id, sid), { key: k })).status).toBe(403);
    }
    for (const k of [read, await ws.key(['write:tags'])]) {
      expect((await t.post(url(p.id), { name: 'B' }, { key: k })).status).toBe(403);
      expect((await t.put(url(p.id, sid), { name: 'B' }, { key: k })).status).toBe(403);
      expect((await t.patch(url(p.id, sid), { name: 'B' }, { key: k })).status).toBe(403);
      expect((await t.delete(url(p.id, sid), { key: k })).status).toBe(403);
    }
    expect((await t.get(url(p.id, sid), { key: read })).status).toBe(200);
    expect((await t.delete(url(p.id, sid), { key: write })).status).toBe(204);
  });

  describe('validation', () => {
    let pid: number;
    let sid: number;
    beforeAll(async () => {
      const p = await newPipeline(['A']);
      pid = p.id;
      sid = p.stages[0].id;
    });

    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'S', probability: 101 }, 'probability'],
      [{ name: 'S', probability: -1 }, 'probability'],
      [{ name: 'S', probability: 12.5 }, 'probability'],
      [{ name: 'S', probability: '50' }, 'probability'],
      [{ name: 'S', position: 0 }, 'position'],
      [{ name: 'S', position: 'first' }, 'position'],
      [{ name: 'S', pipeline_id: 3 }, 'pipeline_id'],
      [{ name: 'S', id: 3 }, 'id'],
    ])('422 on create for %j', async (body, field) => {
      const res = await t.post(url(pid), body, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain(field);
    });

    it.each([
      [{ name: null }, 'name'],
      [{ probability: null }, 'probability'],
      [{ probability: 101 }, 'probability'],
      [{ position: null }, 'position'],
      [{ position: -3 }, 'position'],
      [{ colour: 'red' }, 'colour'],
    ])('422 on update for %j', async (body, field) => {
      const res = await t.patch(url(pid, sid), body, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });
  });
});
