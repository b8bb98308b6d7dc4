import { EventsService } from '../../src/events/events.service';
import type { RecordedEvent } from '../../src/events/domain-event';
import { events, seedPipeline } from '../support/leads';
import { TestApp } from '../support/test-app';

describe('leads: update, delete, workspace isolation, scopes', () => {
  let t: TestApp;
  let key: string;
  let ws: { id: number };
  let otherKey: string;
  let pipeline: { id: number; stages: number[] };
  let pipeline2: { id: number; stages: number[] };

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('leads-crud');
    ws = w;
    key = await w.key(['*']);
    otherKey = await (await t.workspace('leads-other')).key(['*']);
    pipeline = await seedPipeline(t, ws.id, 'Sales');
    pipeline2 = await seedPipeline(t, ws.id, 'Partners');
  });
  afterAll(() => t.close());

  const create = (body: object, k = key) => t.post('/api/v1/leads', body, { key: k });

  describe('update', () => {
    let id: number;
    beforeEach(async () => {
      const res = await create({
        first_name: 'Bob',
        last_name: 'Stone',
        email: 'bob@example.com',
        phone: '555-0100',
        company: 'Acme',
        pipeline_id: pipeline.id,
        pipeline_stage_id: pipeline.stages[0],
        tags: ['a', 'b'],
        custom_fields: { x: 1 },
      });
      id = res.body.data.id;
    });

    it.each(['put', 'patch'] as const)('%s is partial: untouched fields stay', async (method) => {
      const before = (await t.get(`/api/v1/leads/${id}`, { key })).body.data;
      const res = await t[method](`/api/v1/leads/${id}`, { company: 'Globex' }, { key });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ ...before, company: 'Globex', updated_at: expect.any(String) });
      expect(Date.parse(res.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    });

    it.each(['put', 'patch'] as const)('%s clears nullable fields with null', async (method) => {
      const res = await t[method](
        `/api/v1/leads/${id}`,
        {
          last_name: null,
          email: null,
          phone: null,
          company: null,
          pipeline_id: null,
          assigned_user_id: null,
        },
        { key },
      );
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        last_name: null,
        email: null,
        phone: null,
        company: null,
        pipeline_id: null,
        pipeline_stage_id: null,
      });
      const [row] = await t.sql('SELECT phone_digits FROM leads WHERE id = $1', [id]);
      expect(row.phone_digits).toBeNull();
    });

    it.each([
      [{ first_name: null }, 'first_name'],
      [{ first_name: '' }, 'first_name'],
      [{ status: null }, 'status'],
      [{ starred: null }, 'starred'],
      [{ lead_score: null }, 'lead_score'],
      [{ tags: null }, 'tags'],
      [{ custom_fields: null }, 'custom_fields'],
      [{ email: 'nope' }, 'email'],
      [{ assigned_user_id: 999999 }, 'assigned_user_id'],
      [{ id: 1 }, 'id'],
    ])('422 for %j', async (body, field) => {
      const res = await t.patch(`/api/v1/leads/${id}`, body, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toContain(field);
    });

    it('422 when the stage and the pipeline sent do not match', async () => {
      const res = await t.patch(
        `/api/v1/leads/${id}`,
        { pipeline_id: pipeline.id, pipeline_stage_id: pipeline2.stages[0] },
        { key },
      );
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['pipeline_stage_id']);
    });

    it('replaces tags and custom_fields', async () => {
      const res = await t.put(
        `/api/v1/leads/${id}`,
        { tags: ['c', 'A'], custom_fields: { y: 'z' } },
        { key },
      );
      expect(res.body.data.tags).toEqual(['a', 'c']);
      expect(res.body.data.custom_fields).toEqual({ y: 'z' });
      expect((await t.patch(`/api/v1/leads/${id}`, { tags: [] }, { key })).body.data.tags).toEqual([]);
    });

    it('moving to another pipeline clears the old stage; a stage alone moves the pipeline', async () => {
      let res = await t.patch(`/api/v1/leads/${id}`, { pipeline_id: pipeline2.id }, { key });
      expect(res.body.data).toMatchObject({ pipeline_id: pipeline2.id, pipeline_stage_id: null });
      res = await t.patch(`/api/v1/leads/${id}`, { pipeline_stage_id: pipeline.stages[1] }, { key });
      expect(res.body.data).toMatchObject({
        pipeline_id: pipeline.id,
        pipeline_stage_id: pipeline.stages[1],
      });
      res = await t.patch(`/api/v1/leads/${id}`, { pipeline_id: pipeline.id }, { key });
      expect(res.body.data).toMatchObject({
        pipeline_id: pipeline.id,
        pipeline_stage_id: pipeline.stages[1],
      });
      res = await t.patch(`/api/v1/leads/${id}`, { pipeline_stage_id: null }, { key });
      expect(res.body.data).toMatchObject({ pipeline_id: pipeline.id, pipeline_stage_id: null });
    });

    it('records lead.updated, lead.status_changed, lead.stage_changed and tag.added in the outbox', async () => {
      const seen: RecordedEvent[] = [];
      const off = t.app.get(EventsService).onCommitted((e) => void seen.push(e));
      await t.sql('DELETE FROM domain_events WHERE lead_id = $1', [id]);
      const res = await t.patch(
        `/api/v1/leads/${id}`,
        { status: 'contacted', pipeline_stage_id: pipeline.stages[1], tags: ['a', 'b', 'new-one'] },
        { key },
      );
      off();
      expect(res.status).toBe(200);
      const rows = await events(t, id);
      expect(rows.map((r) => r.type)).toEqual([
        'lead.updated',
        'lead.status_changed',
        'lead.stage_changed',
        'tag.added',
      ]);
      expect(
        rows.every(
          (r) => r.workspace_id === ws.id && r.payload.workspace_id === ws.id && r.payload.lead_id === id,
        ),
      ).toBe(true);
      expect(rows[0].payload.changes).toEqual({
        status: { from: 'new', to: 'contacted' },
        pipeline_stage_id: { from: pipeline.stages[0], to: pipeline.stages[1] },
        tags: { from: ['a', 'b'], to: ['a', 'b', 'new-one'] },
      });
      expect(rows[1].payload.changes).toEqual({ status: { from: 'new', to: 'contacted' } });
      expect(rows[2].payload.changes).toEqual({
        pipeline_stage_id: { from: pipeline.stages[0], to: pipeline.stages[1] },
      });
      expect(rows[3].payload.changes).toEqual({ tag: { from: null, to: 'new-one' } });
      expect(seen.map((e) => e.type)).toEqual(rows.map((r) => r.type));
      expect(seen[0]).toMatchObject({ workspaceId: ws.id, leadId: id });
    });

    it('an update that changes nothing records no event', async () => {
      await t.sql('DELETE FROM domain_events WHERE lead_id = $1', [id]);
      const res = await t.patch(
        `/api/v1/leads/${id}`,
        { first_name: 'Bob', tags: ['B', 'a'], custom_fields: { x: 1 } },
        { key },
      );
      expect(res.status).toBe(200);
      expect(await events(t, id)).toEqual([]);
    });
  });

  it('deletes a lead, then it is 404 everywhere', async () => {
    const id = (await create({ first_name: 'Gone', tags: ['z'] })).body.data.id;
    expect((await t.delete(`/api/v1/leads/${id}`, { key })).status).toBe(204);
    expect((await t.get(`/api/v1/leads/${id}`, { key })).status).toBe(404);
    expect((await t.delete(`/api/v1/leads/${id}`, { key })).status).toBe(404);
    expect((await t.patch(`/api/v1/leads/${id}`, { first_name: 'X' }, { key })).status).toBe(404);
    expect(await t.sql('SELECT * FROM lead_tags WHERE lead_id = $1', [id])).toEqual([]);
  });

  it('404 for unknown and malformed ids', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '99999999999'])
      expect((await t.get(`/api/v1/leads/${id}`, { key })).status).toBe(404);
  });

  it("404 on every lead route for another workspace's lead", async () => {
    const id = (await create({ first_name: 'Mine', tags: ['keep'] })).body.data.id;
    const o = { key: otherKey };
    const results = [
      await t.get(`/api/v1/leads/${id}`, o),
      await t.put(`/api/v1/leads/${id}`, { first_name: 'X' }, o),
      await t.patch(`/api/v1/leads/${id}`, { first_name: 'X' }, o),
      await t.delete(`/api/v1/leads/${id}`, o),
      await t.post(`/api/v1/leads/${id}/tags`, { tag: 'x' }, o),
      await t.delete(`/api/v1/leads/${id}/tags/keep`, o),
    ];
    for (const r of results) {
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('NOT_FOUND');
    }
    const list = await t.get('/api/v1/leads?per_page=100', o);
    expect(list.body.data.map((l: { id: number }) => l.id)).not.toContain(id);
    expect((await t.get(`/api/v1/leads/${id}`, { key })).body.data).toMatchObject({
      first_name: 'Mine',
      tags: ['keep'],
    });
  });

  it('scopes: read cannot write, write cannot delete', async () => {
    const w = await t.workspace('leads-scopes');
    const read = await w.key(['read:leads']);
    const write = await w.key(['write:leads']);
    const del = await w.key(['delete:leads']);
    const otherScope = await w.key(['read:tags']);
    expect((await t.post('/api/v1/leads', { first_name: 'A' }, { key: read })).status).toBe(403);
    const id = (await t.post('/api/v1/leads', { first_name: 'A' }, { key: write })).body.data.id;
    expect((await t.get('/api/v1/leads', { key: read })).status).toBe(200);
    expect((await t.get(`/api/v1/leads/${id}`, { key: read })).status).toBe(200);
    expect((await t.get('/api/v1/leads', { key: write })).status).toBe(403);
    expect((await t.get('/api/v1/leads', { key: otherScope })).status).toBe(403);
    expect((await t.patch(`/api/v1/leads/${id}`, { first_name: 'B' }, { key: read })).status).toBe(403);
    expect((await t.put(`/api/v1/leads/${id}`, { first_name: 'B' }, { key: read })).status).toBe(403);
    expect((await t.post(`/api/v1/leads/${id}/tags`, { tag: 'x' }, { key: read })).status).toBe(403);
    expect((await t.delete(`/api/v1/leads/${id}/tags/x`, { key: read })).status).toBe(403);
    const denied = await t.delete(`/api/v1/leads/${id}`, { key: write });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain('delete:leads');
    expect((await t.delete(`/api/v1/leads/${id}`, { key: del })).status).toBe(204);
    expect((await t.get('/api/v1/leads')).status).toBe(401);
  });
});
