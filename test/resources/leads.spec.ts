import { events, seedPipeline, seedUser } from '../support/leads';
import { TestApp } from '../support/test-app';

describe('leads: create and validation', () => {
  let t: TestApp;
  let key: string;
  let ws: { id: number };
  let other: { id: number };
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
      custom_fields: { budget: '10000', seats: 25, trial: true, referrer: null, valueOf: 'kept' },
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
      custom_fields: { budget: '10000', seats: 25, trial: true, referrer: null, valueOf: 'kept' },
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
        { first_name: 'A', custom_fields: Object.fromEntries([...Array(101)].map((_, i) => [`k${i}`, i])) },
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
});
