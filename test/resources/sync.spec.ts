import { TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Incremental sync: updated_after/updated_before + sort=updated_at, and updated_at moves on every visible change.
describe('incremental sync', () => {
  let t: TestApp;
  let key: string;
  let wsId: number;
  const ids = (res: { body: { data: Json[] } }) => res.body.data.map((r) => r.id);
  /** Makes every row of the workspace look unchanged since 2020, so a sync window shows only what changes next. */
  const age = async (table: string) =>
    t.sql(`UPDATE ${table} SET updated_at = '2020-01-01T00:00:00Z' WHERE workspace_id = $1`, [wsId]);
  const changedLeads = async () =>
    ids(await t.get('/api/v1/leads?updated_after=2021-01-01&sort=updated_at&direction=asc', { key }));

  beforeAll(async () => {
    t = await TestApp.start();
    const ws = await t.workspace('sync');
    wsId = ws.id;
    key = await ws.key(['*'], { rateLimit: 100_000 });
  });
  afterAll(() => t.close());

  it('filters leads by updated_after/updated_before and sorts by updated_at', async () => {
    const a = (await t.post('/api/v1/leads', { first_name: 'A' }, { key })).body.data;
    const b = (await t.post('/api/v1/leads', { first_name: 'B' }, { key })).body.data;
    await age('leads');
    expect(await changedLeads()).toEqual([]);
    expect(ids(await t.get('/api/v1/leads?updated_before=2020-01-01', { key }))).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
    await t.patch(`/api/v1/leads/${b.id}`, { notes: 'changed' }, { key });
    await t.patch(`/api/v1/leads/${a.id}`, { notes: 'changed later' }, { key });
    expect(await changedLeads()).toEqual([b.id, a.id]);
    const bad = await t.get('/api/v1/leads?updated_after=yesterday', { key });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['updated_after']);
  });

  it.each([
    ['pipeline', async (l: Json) => t.delete(`/api/v1/pipelines/${l.pipeline_id}`, { key }), 'pipeline_id'],
    [
      'stage',
      async (l: Json) =>
        t.delete(`/api/v1/pipelines/${l.pipeline_id}/stages/${l.pipeline_stage_id}`, { key }),
      'pipeline_stage_id',
    ],
    ['user', async (l: Json) => t.delete(`/api/v1/users/${l.assigned_user_id}`, { key }), 'assigned_user_id'],
  ])('deleting the %s clears it from its leads and moves their updated_at', async (name, remove, field) => {
    const pipeline = (await t.post('/api/v1/pipelines', { name: `P ${name}` }, { key })).body.data;
    const stage = (await t.post(`/api/v1/pipelines/${pipeline.id}/stages`, { name: 'S' }, { key })).body.data;
    const user = (await t.post('/api/v1/users', { name: 'U', email: `sync-${name}@example.com` }, { key }))
      .body.data;
    const lead = (
      await t.post(
        '/api/v1/leads',
        { first_name: `Ref ${name}`, pipeline_stage_id: stage.id, assigned_user_id: user.id },
        { key },
      )
    ).body.data;
    const bystander = (await t.post('/api/v1/leads', { first_name: 'Bystander' }, { key })).body.data;
    await age('leads');
    expect((await remove(lead)).status).toBe(204);
    expect(await changedLeads()).toEqual([lead.id]);
    expect((await t.get(`/api/v1/leads/${lead.id}`, { key })).body.data[field]).toBeNull();
    expect(await changedLeads()).not.toContain(bystander.id);
  });

  it('deleting or renaming a tag moves the updated_at of the leads that carry it', async () => {
    const tagged = (
      await t.post('/api/v1/leads', { first_name: 'Tagged', tags: ['gone', 'renamed'] }, { key })
    ).body.data;
    await t.post('/api/v1/leads', { first_name: 'Untagged' }, { key });
    const tags = (await t.get('/api/v1/tags?per_page=100', { key })).body.data as Json[];
    await age('leads');
    expect((await t.delete(`/api/v1/tags/${tags.find((x) => x.name === 'gone')!.id}`, { key })).status).toBe(
      204,
    );
    expect(await changedLeads()).toEqual([tagged.id]);
    expect((await t.get(`/api/v1/leads/${tagged.id}`, { key })).body.data.tags).toEqual(['renamed']);
    await age('leads');
    await t.patch(
      `/api/v1/tags/${tags.find((x) => x.name === 'renamed')!.id}`,
      { name: 'new-name' },
      { key },
    );
    expect(await changedLeads()).toEqual([tagged.id]);
  });

  it.each([
    ['tags', { name: 'sync-tag' }, { name: 'sync-tag-2' }],
    ['users', { name: 'Sync', email: 'sync-list@example.com' }, { name: 'Sync 2' }],
    ['pipelines', { name: 'Sync pipeline' }, { name: 'Sync pipeline 2' }],
    [
      'forms',
      { name: 'Sync form', fields: [{ name: 'email', label: 'Email', type: 'email', maps_to: 'email' }] },
      { name: 'Sync form 2' },
    ],
    [
      'automations',
      {
        name: 'Sync auto',
        is_active: false,
        trigger: { type: 'lead.created' },
        actions: [{ type: 'add_tag', tag: 'x' }],
      },
      { name: 'Sync auto 2' },
    ],
    [
      'integrations',
      {
        type: 'mailgun',
        name: 'Sync mg',
        config: { api_key: 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0', domain: 'mg.example.com', region: 'eu' },
      },
      { name: 'Sync mg 2' },
    ],
  ])('GET /%s takes updated_after/updated_before and sort=updated_at', async (list, create, change) => {
    const one = (await t.post(`/api/v1/${list}`, create, { key })).body.data;
    await age(list);
    const window = `/api/v1/${list}?updated_after=2021-01-01&sort=updated_at&direction=asc`;
    expect(ids(await t.get(window, { key }))).toEqual([]);
    expect(ids(await t.get(`/api/v1/${list}?updated_before=2020-01-01T00:00:00Z`, { key }))).toContain(
      one.id,
    );
    expect((await t.patch(`/api/v1/${list}/${one.id}`, change, { key })).status).toBe(200);
    expect(ids(await t.get(window, { key }))).toEqual([one.id]);
    expect((await t.get(`/api/v1/${list}?sort=updated_at`, { key })).status).toBe(200);
  });
});
