import { seedPipeline, seedUser } from '../support/leads';
import { TestApp } from '../support/test-app';
import { email, validForm } from '../support/form-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('forms: CRUD', () => {
  let t: TestApp;
  let key: string;
  let ws: number;
  const url = '/api/v1/forms';

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('forms-crud');
    ws = w.id;
    key = await w.key(['*']);
  });
  afterAll(() => t.close());

  it('creates a form with defaults filled in, and shows it', async () => {
    const res = await t.post(url, validForm(), { key });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      name: 'Contact us',
      fields: [
        {
          name: 'first',
          label: 'First name',
          type: 'text',
          required: true,
          options: null,
          maps_to: 'first_name',
        },
        { name: 'email', label: 'Email', type: 'email', required: false, options: null, maps_to: 'email' },
        {
          name: 'budget',
          label: 'Budget',
          type: 'select',
          required: false,
          options: ['small', 'large'],
          maps_to: null,
        },
      ],
      lead_defaults: {
        source: 'form',
        status: null,
        tags: [],
        pipeline_id: null,
        stage_id: null,
        assigned_user_id: null,
      },
      is_active: true,
      submissions_count: 0,
      is_public: false,
      public_id: expect.stringMatching(/^[a-f0-9]{32}$/),
      success_url: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const shown = await t.get(`${url}/${res.body.data.id}`, { key });
    expect(shown.status).toBe(200);
    expect(shown.body.data).toEqual(res.body.data);
  });

  it('stores lead defaults; a stage alone brings its pipeline', async () => {
    const pipeline = await seedPipeline(t, ws, 'Forms pipeline');
    const user = await seedUser(t, ws, email('owner.forms'));
    const res = await t.post(
      url,
      {
        ...validForm(),
        lead_defaults: {
          source: 'landing',
          status: 'contacted',
          tags: ['web', 'WEB', 'promo'],
          stage_id: pipeline.stages[1],
          assigned_user_id: user,
        },
        is_active: false,
      },
      { key },
    );
    expect(res.status).toBe(201);
    expect(res.body.data.is_active).toBe(false);
    expect(res.body.data.lead_defaults).toEqual({
      source: 'landing',
      status: 'contacted',
      tags: ['web', 'promo'],
      pipeline_id: pipeline.id,
      stage_id: pipeline.stages[1],
      assigned_user_id: user,
    });
    // Deleting the pipeline clears the defaults that name it (and its stages).
    await t.sql('DELETE FROM pipelines WHERE id = $1', [pipeline.id]);
    const after = await t.get(`${url}/${res.body.data.id}`, { key });
    expect(after.body.data.lead_defaults).toMatchObject({ pipeline_id: null, stage_id: null });
  });

  it('PUT and PATCH are partial; fields and lead_defaults are replaced as a whole', async () => {
    const { id } = (await t.post(url, { ...validForm(), lead_defaults: { status: 'qualified' } }, { key }))
      .body.data;
    const renamed = await t.patch(`${url}/${id}`, { name: 'Renamed', is_active: false }, { key });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Renamed', is_active: false });
    expect(renamed.body.data.fields).toHaveLength(3);
    expect(renamed.body.data.lead_defaults.status).toBe('qualified');

    const fields = [{ name: 'mail', label: 'Mail', type: 'email', required: true, maps_to: 'email' }];
    const put = await t.put(`${url}/${id}`, { fields, lead_defaults: { tags: ['x'] } }, { key });
    expect(put.status).toBe(200);
    expect(put.body.data.name).toBe('Renamed');
    expect(put.body.data.fields).toEqual([{ ...fields[0], options: null }]);
    expect(put.body.data.lead_defaults).toMatchObject({ source: 'form', status: null, tags: ['x'] });

    for (const body of [{ name: null }, { fields: null }, { is_active: null }, { submissions_count: 9 }]) {
      const res = await t.patch(`${url}/${id}`, body, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(Object.keys(body));
    }
  });

  it('lists with pagination, search, is_active and sort', async () => {
    const w = await t.workspace('forms-list');
    const k = await w.key(['read:forms', 'write:forms']);
    for (const [name, active] of [
      ['Alpha', true],
      ['Beta', false],
      ['Gamma', true],
    ] as const)
      await t.post(url, { ...validForm(), name, is_active: active }, { key: k });
    const page = await t.get(`${url}?per_page=2&sort=name&direction=asc`, { key: k });
    expect(page.status).toBe(200);
    expect(page.body.data.map((f: Json) => f.name)).toEqual(['Alpha', 'Beta']);
    expect(page.body.meta).toMatchObject({ total: 3, last_page: 2, per_page: 2 });
    const active = await t.get(`${url}?is_active=false`, { key: k });
    expect(active.body.data.map((f: Json) => f.name)).toEqual(['Beta']);
    const search = await t.get(`${url}?search=amm`, { key: k });
    expect(search.body.data.map((f: Json) => f.name)).toEqual(['Gamma']);
    expect((await t.get(`${url}?sort=fields`, { key: k })).status).toBe(422);
  });

  it('DELETE → 204, then 404', async () => {
    const { id } = (await t.post(url, validForm(), { key })).body.data;
    expect((await t.delete(`${url}/${id}`, { key })).status).toBe(204);
    expect((await t.get(`${url}/${id}`, { key })).status).toBe(404);
    expect((await t.delete(`${url}/${id}`, { key })).status).toBe(404);
  });

  it('scopes: read cannot write, write cannot delete', async () => {
    const w = await t.workspace('forms-scopes');
    const read = await w.key(['read:forms']);
    const write = await w.key(['write:forms']);
    const created = await t.post(url, validForm(), { key: write });
    expect(created.status).toBe(201);
    const id = created.body.data.id;
    expect((await t.get(`${url}/${id}`, { key: read })).status).toBe(200);
    expect((await t.get(url, { key: read })).status).toBe(200);
    expect((await t.post(url, validForm(), { key: read })).status).toBe(403);
    expect((await t.patch(`${url}/${id}`, { name: 'x' }, { key: read })).status).toBe(403);
    expect((await t.post(`${url}/${id}/submissions`, { first: 'Ann' }, { key: read })).status).toBe(403);
    expect((await t.delete(`${url}/${id}`, { key: write })).status).toBe(403);
    expect((await t.get(`${url}/${id}/submissions`, { key: write })).status).toBe(403);
    expect((await t.get(url, { key: await w.key(['read:leads']) })).status).toBe(403);
  });

  it("another workspace's form is a 404 on every route", async () => {
    const { id } = (await t.post(url, validForm(), { key })).body.data;
    const other = await (await t.workspace('forms-intruder')).key(['*']);
    const calls = [
      t.get(`${url}/${id}`, { key: other }),
      t.put(`${url}/${id}`, { name: 'x' }, { key: other }),
      t.patch(`${url}/${id}`, { name: 'x' }, { key: other }),
      t.delete(`${url}/${id}`, { key: other }),
      t.get(`${url}/${id}/submissions`, { key: other }),
      t.post(`${url}/${id}/submissions`, { first: 'Eve' }, { key: other }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
    expect((await t.get(`${url}/${id}`, { key })).body.data.name).toBe('Contact us');
    const [{ n }] = await t.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM form_submissions WHERE form_id = $1',
      [id],
    );
    expect(n).toBe(0);
  });
});
