import { EventsService } from '../../src/events/events.service';
import type { RecordedEvent } from '../../src/events/domain-event';
import { events, seedPipeline, seedUser } from '../support/leads';
import { TestApp } from '../support/test-app';

describe('leads: create, show, update, delete', () => {
  let t: TestApp;
  let key: string;
  let ws: { id: number };
  let other: { id: number };
  let otherKey: string;
  let pipeline: { id: number; stages: number[] };
  let pipeline2: { id: number; stages: number[] };
  let userId: number;

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('leads-crud');
    ws = w;
    key = await w.key(['*']);
    const o = await t.workspace('leads-other');
    other = o;
    otherKey = await o.key(['*']);
    pipeline = await seedPipeline(t, ws.id, 'Sales');
    pipeline2 = await seedPipeline(t, ws.id, 'Partners');
    userId = await seedUser(t, ws.id, 'agent@example.com');
  });
  afterAll(() => t.close());

  const create = (body: object, k = key) => t.post('/api/v1/leads', body, { key: k });

  it('creates a lead with only first_name, with every default', async () => {
    const res = await create({ first_name: 'Sarah' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      first_name: 'Sarah',
      last_name: null,
      email: null,
      phone: null,
      company: null,
      source: null,
      status: 'new',
      pipeline_id: null,
      pipeline_stage_id: null,
      assigned_user_id: null,
      notes: null,
      custom_fields: {},
      tags: [],
      lead_score: 0,
      starred: false,
      created_at: expect.stringMatching(/\+00:00$/),
      updated_at: expect.stringMatching(/\+00:00$/),
    });
  });

  it('creates the reference example with references, tags and custom fields', async () => {
    const res = await create({
      first_name: 'Sarah',
      last_name: 'Johnson',
      email: 'sarah@example.com',
      phone: '+1 (415) 555-1234',
      company: 'Tech Corp',
      source: 'website',
      status: 'qualified',
      pipeline_id: pipeline.id,
      pipeline_stage_id: pipeline.stages[1],
      assigned_user_id: userId,
      notes: 'Interested in the enterprise plan.',
      custom_fields: { budget: '10000', seats: 25, trial: true, referrer: null },
      tags: ['hot-lead', 'Enterprise', 'HOT-LEAD'],
      lead_score: 42,
      starred: true,
    });
    expect(res.status).toBe(201);
    const d = res.body.data;
    expect(d).toMatchObject({
      status: 'qualified',
      pipeline_id: pipeline.id,
      pipeline_stage_id: pipeline.stages[1],
      assigned_user_id: userId,
      custom_fields: { budget: '10000', seats: 25, trial: true, referrer: null },
      tags: ['Enterprise', 'hot-lead'],
      lead_score: 42,
      starred: true,
    });
    const [row] = await t.sql('SELECT phone_digits FROM leads WHERE id = $1', [d.id]);
    expect(row.phone_digits).toBe('14155551234');
    expect((await t.get(`/api/v1/leads/${d.id}`, { key })).body.data).toEqual(d);
  });

  it('reuses existing tags case-insensitively (keeping their spelling)', async () => {
    await t.post('/api/v1/tags', { name: 'VIP' }, { key });
    const res = await create({ first_name: 'A', tags: ['vip'] });
    expect(res.body.data.tags).toEqual(['VIP']);
    const rows = await t.sql('SELECT id FROM tags WHERE workspace_id = $1 AND lower(name) = $2', [
      ws.id,
      'vip',
    ]);
    expect(rows).toHaveLength(1);
  });

  it('a stage alone brings its pipeline', async () => {
    const res = await create({ first_name: 'S', pipeline_stage_id: pipeline2.stages[0] });
    expect(res.status).toBe(201);
    expect(res.body.data.pipeline_id).toBe(pipeline2.id);
  });

  it.each(
    [
      [{}, 'first_name'],
      [{ first_name: '' }, 'first_name'],
      [{ first_name: '   ' }, 'first_name'],
      [{ first_name: null }, 'first_name'],
      [{ first_name: 7 }, 'first_name'],
      [{ first_name: 'x'.repeat(256) }, 'first_name'],
      [{ first_name: 'A', last_name: 'x'.repeat(256) }, 'last_name'],
      [{ first_name: 'A', company: 'x'.repeat(256) }, 'company'],
      [{ first_name: 'A', source: 'x'.repeat(101) }, 'source'],
      [{ first_name: 'A', notes: 'x'.repeat(10_001) }, 'notes'],
      [{ first_name: 'A', email: 'not-an-email' }, 'email'],
      [{ first_name: 'A', email: `${'x'.repeat(320)}@example.com` }, 'email'],
      [{ first_name: 'A', phone: 'call me' }, 'phone'],
      [{ first_name: 'A', phone: '+-()' }, 'phone'],
      [{ first_name: 'A', phone: '1'.repeat(51) }, 'phone'],
      [{ first_name: 'A', status: 'won' }, 'status'],
      [{ first_name: 'A', status: null }, 'status'],
      [{ first_name: 'A', lead_score: 1.5 }, 'lead_score'],
      [{ first_name: 'A', lead_score: '10' }, 'lead_score'],
      [{ first_name: 'A', lead_score: 2 ** 31 }, 'lead_score'],
      [{ first_name: 'A', starred: 'yes' }, 'starred'],
      [{ first_name: 'A', starred: null }, 'starred'],
      [{ first_name: 'A', custom_fields: [] }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: 'x' }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: null }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: { nested: { a: 1 } } }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: { list: [1] } }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: { ['k'.repeat(65)]: 1 } }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: { '': 1 } }, 'custom_fields'],
      [{ first_name: 'A', custom_fields: { long: 'x'.repeat(1001) } }, 'custom_fields'],
      [
        { first_name: 'A', custom_fields: Object.fromEntries([...Array(51)].map((_, i) => [`k${i}`, i])) },
        'custom_fields',
      ],
      [{ first_name: 'A', tags: 'vip' }, 'tags'],
      [{ first_name: 'A', tags: null }, 'tags'],
      [{ first_name: 'A', tags: [''] }, 'tags'],
      [{ first_name: 'A', tags: [1] }, 'tags'],
      [{ first_name: 'A', tags: ['x'.repeat(101)] }, 'tags'],
      [{ first_name: 'A', tags: [...Array(51)].map((_, i) => `t${i}`) }, 'tags'],
      [{ first_name: 'A', pipeline_id: 'one' }, 'pipeline_id'],
      [{ first_name: 'A', pipeline_id: 0 }, 'pipeline_id'],
      [{ first_name: 'A', pipeline_id: 999999 }, 'pipeline_id'],
      [{ first_name: 'A', pipeline_stage_id: 999999 }, 'pipeline_stage_id'],
      [{ first_name: 'A', assigned_user_id: 999999 }, 'assigned_user_id'],
      [{ first_name: 'A', id: 5 }, 'id'],
      [{ first_name: 'A', workspace_id: 5 }, 'workspace_id'],
      [{ first_name: 'A', created_at: '2026-01-01' }, 'created_at'],
      [{ first_name: 'A', stauts: 'new' }, 'stauts'],
    ].map(([body, field]) => [field as string, JSON.stringify(body).slice(0, 70), body as object] as const),
  )('422 naming %s for %s', async (field, _, body) => {
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors)).toContain(field);
  });

  it('422 when the stage is not of the given pipeline', async () => {
    const res = await create({
      first_name: 'A',
      pipeline_id: pipeline.id,
      pipeline_stage_id: pipeline2.stages[0],
    });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['pipeline_stage_id']);
  });

  it("422 for another workspace's pipeline, stage and user", async () => {
    const p = await seedPipeline(t, other.id, 'Theirs');
    const u = await seedUser(t, other.id, 'them@example.com');
    const res = await create({
      first_name: 'A',
      pipeline_id: p.id,
      pipeline_stage_id: p.stages[0],
      assigned_user_id: u,
    });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual([
      'assigned_user_id',
      'pipeline_id',
      'pipeline_stage_id',
    ]);
  });

  it('treats empty strings of optional text fields as null', async () => {
    const res = await create({ first_name: ' Ann ', last_name: '', email: '', phone: ' ', company: '' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      first_name: 'Ann',
      last_name: null,
      email: null,
      phone: null,
      company: null,
    });
  });

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

  it('records lead.created and tag.added on create; a failed create records nothing', async () => {
    const res = await create({ first_name: 'Eve', email: 'eve@example.com', tags: ['x1', 'x2'] });
    const rows = await events(t, res.body.data.id);
    expect(rows.map((r) => r.type)).toEqual(['lead.created', 'tag.added', 'tag.added']);
    expect(rows[0].payload.changes).toMatchObject({
      first_name: { from: null, to: 'Eve' },
      email: { from: null, to: 'eve@example.com' },
      status: { from: null, to: 'new' },
      tags: { from: null, to: ['x1', 'x2'] },
    });
    const [{ n }] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM domain_events');
    await create({ first_name: 'Nope', pipeline_id: 999999 });
    expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM domain_events'))[0].n).toBe(n);
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
