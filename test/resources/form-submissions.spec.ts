import { seedPipeline, seedUser } from '../support/leads';
import { TestApp } from '../support/test-app';
import { email, FIELDS } from '../support/form-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('forms: POST/GET /api/v1/forms/{id}/submissions', () => {
  let t: TestApp;
  let key: string;
  let ws: number;
  let form: Json;
  let pipeline: { id: number; stages: number[] };
  let user: number;

  const submit = (id: number, body: unknown, k = key) =>
    t.post(`/api/v1/forms/${id}/submissions`, body, { key: k });
  const lead = async (id: number) => (await t.get(`/api/v1/leads/${id}`, { key })).body.data;
  const valid = (over: Json = {}) => ({ first: 'Ada', mail: email('ada'), consent: true, ...over });

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('form-submissions');
    ws = w.id;
    key = await w.key(['*'], { rateLimit: 100_000 });
    pipeline = await seedPipeline(t, ws, 'Web');
    user = await seedUser(t, ws, email('owner.subs'));
    const res = await t.post(
      '/api/v1/forms',
      {
        name: 'Contact',
        fields: FIELDS,
        lead_defaults: {
          status: 'contacted',
          tags: ['web-form'],
          stage_id: pipeline.stages[1],
          assigned_user_id: user,
        },
      },
      { key },
    );
    expect(res.status).toBe(201);
    form = res.body.data;
  });
  afterAll(() => t.close());

  it('creates a lead with mapped fields, custom fields and the form defaults', async () => {
    const res = await submit(form.id, {
      first: '  Grace ',
      last: 'Hopper',
      mail: email('grace'),
      tel: '+1 (415) 555-0100',
      org: 'Navy',
      message: 'Call me',
      budget: 'large',
      consent: true,
      utm: 'spring',
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      form_id: form.id,
      lead_id: expect.any(Number),
      is_duplicate: false,
      created_at: expect.any(String),
    });
    expect(await lead(res.body.data.lead_id)).toMatchObject({
      first_name: 'Grace',
      last_name: 'Hopper',
      email: email('grace'),
      phone: '+1 (415) 555-0100',
      company: 'Navy',
      notes: 'Call me',
      source: 'form',
      status: 'contacted',
      pipeline_id: pipeline.id,
      pipeline_stage_id: pipeline.stages[1],
      assigned_user_id: user,
      tags: ['web-form'],
      custom_fields: { budget_band: 'large', consent: true, utm: 'spring' },
    });
    const [row] = await t.sql('SELECT * FROM form_submissions WHERE id = $1', [res.body.data.id]);
    expect(row).toMatchObject({ workspace_id: ws, form_id: form.id, is_duplicate: false });
    // The submission stores the validated (trimmed) values, not the raw ones.
    expect(row.values).toMatchObject({ first: 'Grace', budget: 'large', consent: true });
  });

  it('derives first_name from the email when only the email is given', async () => {
    const res = await submit(form.id, { mail: email('only.mail'), consent: true });
    expect(res.status).toBe(201);
    expect((await lead(res.body.data.lead_id)).first_name).toBe('only.mail');
  });

  it('a field mapped to source wins over the default source', async () => {
    const f = await t.post(
      '/api/v1/forms',
      {
        name: 'With source',
        fields: [
          { name: 'email', label: 'Email', type: 'email', maps_to: 'email' },
          { name: 'src', label: 'Source', type: 'hidden', maps_to: 'source' },
        ],
      },
      { key },
    );
    const a = await submit(f.body.data.id, { email: email('src.a'), src: 'ads' });
    const b = await submit(f.body.data.id, { email: email('src.b') });
    expect((await lead(a.body.data.lead_id)).source).toBe('ads');
    expect((await lead(b.body.data.lead_id)).source).toBe('form');
  });

  it('merges into an existing lead by email (any case) without overwriting', async () => {
    const existing = await t.post(
      '/api/v1/leads',
      {
        first_name: 'Orig',
        email: email('merge.me'),
        company: 'Keep',
        status: 'qualified',
        tags: ['old'],
        custom_fields: { utm: 'first' },
      },
      { key },
    );
    const res = await submit(
      form.id,
      valid({
        first: 'Other',
        last: 'Filled',
        mail: email('MERGE.me'),
        org: 'Nope',
        utm: 'second',
        budget: 'small',
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ lead_id: existing.body.data.id, is_duplicate: true });
    expect(await lead(existing.body.data.id)).toMatchObject({
      first_name: 'Orig',
      last_name: 'Filled',
      company: 'Keep',
      status: 'qualified',
      pipeline_id: null,
      assigned_user_id: null,
      source: 'form',
      tags: ['old', 'web-form'],
      custom_fields: { utm: 'first', budget_band: 'small', consent: true },
    });
  });

  it('merges into an existing lead by phone digits', async () => {
    const existing = await t.post('/api/v1/leads', { first_name: 'Phoned', phone: '020 7946 0958' }, { key });
    const res = await submit(form.id, valid({ mail: email('phone.match'), tel: '+(020)-7946-0958' }));
    expect(res.body.data).toMatchObject({ lead_id: existing.body.data.id, is_duplicate: true });
    expect(await lead(existing.body.data.id)).toMatchObject({
      first_name: 'Phoned',
      email: email('phone.match'),
    });
  });

  it('30 concurrent identical submissions → one lead, 30 submissions, one not a duplicate', async () => {
    const body = valid({ mail: email('burst'), tel: '+44 20 7000 0001' });
    const results = await Promise.all([...Array(30)].map(() => submit(form.id, body)));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    expect(new Set(results.map((r) => r.body.data.lead_id)).size).toBe(1);
    expect(results.filter((r) => !r.body.data.is_duplicate)).toHaveLength(1);
    const leads = await t.sql('SELECT id FROM leads WHERE workspace_id = $1 AND lower(email) = $2', [
      ws,
      email('burst'),
    ]);
    expect(leads).toHaveLength(1);
    const rows = await t.sql<{ is_duplicate: boolean }>(
      'SELECT is_duplicate FROM form_submissions WHERE lead_id = $1',
      [leads[0].id],
    );
    expect(rows).toHaveLength(30);
    expect(rows.filter((r) => !r.is_duplicate)).toHaveLength(1);
    const events = await t.sql<{ type: string; n: number }>(
      `SELECT type, count(*)::int AS n FROM domain_events WHERE lead_id = $1 GROUP BY type ORDER BY type`,
      [leads[0].id],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'form.submitted', n: 30 },
        { type: 'lead.created', n: 1 },
      ]),
    );
  });

  it('records form.submitted with the form and submission ids, after lead.created', async () => {
    const res = await submit(form.id, valid({ mail: email('event') }));
    const rows = await t.sql<{ type: string; workspace_id: number; payload: Json }>(
      'SELECT type, workspace_id, payload FROM domain_events WHERE lead_id = $1 ORDER BY id',
      [res.body.data.lead_id],
    );
    expect(rows.map((r) => r.type)).toEqual(['lead.created', 'tag.added', 'form.submitted']);
    expect(rows[2]).toMatchObject({
      workspace_id: ws,
      payload: {
        lead_id: res.body.data.lead_id,
        changes: {
          form_id: { from: null, to: form.id },
          submission_id: { from: null, to: res.body.data.id },
        },
      },
    });
  });

  it('lists submissions newest first with pagination; submissions_count is exact', async () => {
    const f = (await t.post('/api/v1/forms', { name: 'Counted', fields: FIELDS }, { key })).body.data;
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await submit(f.id, valid({ mail: email(`count${i}`), utm: `u${i}` }))).body.data.id);
    const page1 = await t.get(`/api/v1/forms/${f.id}/submissions?per_page=2`, { key });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((s: Json) => s.id)).toEqual([ids[2], ids[1]]);
    expect(page1.body.data[0]).toEqual({
      id: ids[2],
      form_id: f.id,
      lead_id: expect.any(Number),
      is_duplicate: false,
      values: valid({ mail: email('count2'), utm: 'u2' }),
      created_at: expect.any(String),
    });
    expect(page1.body.meta).toMatchObject({ total: 3, last_page: 2, from: 1, to: 2 });
    const page2 = await t.get(`/api/v1/forms/${f.id}/submissions?per_page=2&page=2`, { key });
    expect(page2.body.data.map((s: Json) => s.id)).toEqual([ids[0]]);
    expect((await t.get(`/api/v1/forms/${f.id}/submissions?per_page=0`, { key })).status).toBe(422);
    expect((await t.get(`/api/v1/forms/${f.id}`, { key })).body.data.submissions_count).toBe(3);
    await submit(f.id, { mail: 'bad' }); // refused: not counted
    expect((await t.get(`/api/v1/forms/${f.id}`, { key })).body.data.submissions_count).toBe(3);
  });

  it('deleting a form keeps its leads; deleting a lead keeps its submission', async () => {
    const f = (await t.post('/api/v1/forms', { name: 'Temp', fields: FIELDS }, { key })).body.data;
    const a = (await submit(f.id, valid({ mail: email('kept') }))).body.data;
    const b = (await submit(f.id, valid({ mail: email('gone') }))).body.data;
    expect((await t.delete(`/api/v1/leads/${b.lead_id}`, { key })).status).toBe(204);
    const list = await t.get(`/api/v1/forms/${f.id}/submissions`, { key });
    expect(list.body.data.map((s: Json) => s.lead_id)).toEqual([null, a.lead_id]);
    expect((await t.delete(`/api/v1/forms/${f.id}`, { key })).status).toBe(204);
    expect((await t.get(`/api/v1/leads/${a.lead_id}`, { key })).status).toBe(200);
    expect(await t.sql('SELECT id FROM form_submissions WHERE form_id = $1', [f.id])).toEqual([]);
    expect((await submit(f.id, valid())).status).toBe(404);
  });
});
