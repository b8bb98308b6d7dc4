import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { TestApp } from '../support/test-app';
import { SECRET, seedRecords, validAutomation } from '../support/automation-fixtures';

const KEY = randomBytes(32);

describe('automations', () => {
  let t: TestApp;
  let key: string;
  let other: string;
  let user: number;
  let stage: number;
  const box = SecretBox.withKey(KEY);

  beforeAll(async () => {
    t = await TestApp.start({ config: { secretKey: KEY.toString('hex') } });
    const w = await t.workspace('automations');
    key = await w.key(['*']);
    other = await (await t.workspace('automations-other')).key(['*']);
    ({ user, stage } = await seedRecords(t, w.id));
  });
  afterAll(() => t.close());

  const valid = () => validAutomation({ user, stage });
  const create = (body: object, k = key) => t.post('/api/v1/automations', body, { key: k });
  const storedActions = async (id: number) =>
    (
      await t.sql<{ actions: { secret?: string }[] }>('SELECT actions FROM automations WHERE id = $1', [id])
    )[0].actions;

  it('creates a valid automation and returns it with read-only counters and a masked secret', async () => {
    const res = await create(valid());
    expect(res.status).toBe(201);
    const expected = valid();
    expected.actions[7] = { ...expected.actions[7], secret: '••••5f60' } as never;
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      name: expected.name,
      is_active: true,
      trigger: expected.trigger,
      actions: expected.actions,
      run_count: 0,
      last_run_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);
    const stored = await storedActions(res.body.data.id);
    expect(JSON.stringify(stored)).not.toContain(SECRET);
    expect(box.decrypt(stored[7].secret!)).toBe(SECRET);
    const shown = await t.get(`/api/v1/automations/${res.body.data.id}`, { key });
    expect(shown.body.data).toEqual(res.body.data);
  });

  it('defaults conditions to none and a webhook without a secret', async () => {
    const res = await create({
      name: 'Minimal',
      is_active: false,
      trigger: { type: 'tag.added' },
      actions: [{ type: 'send_webhook', url: 'https://93.184.215.14/' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      is_active: false,
      trigger: { type: 'tag.added', conditions: [] },
      actions: [{ type: 'send_webhook', url: 'https://93.184.215.14/' }],
    });
  });

  it('updates partially; trigger and actions replace; a masked secret keeps the stored one', async () => {
    const { body } = await create(valid());
    const id = body.data.id;
    const url = `/api/v1/automations/${id}`;
    const before = (await storedActions(id))[7].secret;
    const renamed = await t.patch(url, { name: 'Renamed', is_active: false }, { key });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({
      name: 'Renamed',
      is_active: false,
      actions: body.data.actions,
    });
    // Send the actions back as returned (masked secret), reordered: the secret follows its webhook.
    const actions = [body.data.actions[7], ...body.data.actions.slice(0, 2)];
    const put = await t.put(url, { actions, trigger: { type: 'lead.status_changed' } }, { key });
    expect(put.status).toBe(200);
    expect(put.body.data.trigger).toEqual({ type: 'lead.status_changed', conditions: [] });
    expect(put.body.data.actions).toEqual(actions);
    expect((await storedActions(id))[0].secret).toBe(before);
    const wrong = await t.patch(url, { actions: [{ ...actions[0], secret: '••••0000' }] }, { key });
    expect(wrong.status).toBe(422);
    expect(Object.keys(wrong.body.errors)).toEqual(['actions.0.secret']);
    const replaced = await t.patch(
      url,
      { actions: [{ ...actions[0], secret: 'another-secret-abcd' }] },
      { key },
    );
    expect(replaced.body.data.actions[0].secret).toBe('••••abcd');
    expect(box.decrypt((await storedActions(id))[0].secret!)).toBe('another-secret-abcd');
    const bad = await t.patch(
      url,
      { trigger: { type: 'lead.created', conditions: [{ field: 'x' }] } },
      { key },
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual([
      'trigger.conditions.0.field',
      'trigger.conditions.0.operator',
    ]);
    expect((await t.patch(url, { run_count: 3 }, { key })).status).toBe(422);
    const nulls = await t.patch(url, { name: null, is_active: null }, { key });
    expect(Object.keys(nulls.body.errors).sort()).toEqual(['is_active', 'name']);
  });

  it('filters by is_active and trigger_type and sorts by name', async () => {
    const w = await t.workspace('automations-list');
    const k = await w.key(['*']);
    const make = (name: string, type: string, is_active: boolean) =>
      create({ name, is_active, trigger: { type }, actions: [{ type: 'add_tag', tag: 't' }] }, k);
    await make('b', 'lead.created', true);
    await make('a', 'lead.created', false);
    await make('c', 'form.submitted', true);
    const names = async (qs: string) =>
      (await t.get(`/api/v1/automations?${qs}`, { key: k })).body.data.map((x: { name: string }) => x.name);
    expect(await names('sort=name&direction=asc')).toEqual(['a', 'b', 'c']);
    expect(await names('is_active=true&sort=name&direction=desc')).toEqual(['c', 'b']);
    expect(await names('trigger_type=lead.created&sort=name&direction=asc')).toEqual(['a', 'b']);
    expect((await t.get('/api/v1/automations?trigger_type=lead.deleted', { key: k })).status).toBe(422);
    expect((await t.get('/api/v1/automations?sort=run_count', { key: k })).status).toBe(422);
  });

  it('404 for another workspace’s automation on every route', async () => {
    const { body } = await create(valid());
    const url = `/api/v1/automations/${body.data.id}`;
    expect((await t.get(url, { key: other })).status).toBe(404);
    expect((await t.put(url, { name: 'x' }, { key: other })).status).toBe(404);
    expect((await t.patch(url, { name: 'x' }, { key: other })).status).toBe(404);
    expect((await t.delete(url, { key: other })).status).toBe(404);
    expect((await t.get('/api/v1/automations', { key: other })).body.data).toEqual([]);
    expect((await t.get('/api/v1/automations/0', { key })).status).toBe(404);
    expect((await t.get(url, { key })).status).toBe(200);
  });

  it('403 without the scope; DELETE needs delete:automations', async () => {
    const w = await t.workspace('automations-scopes');
    const read = await w.key(['read:automations']);
    const write = await w.key(['write:automations']);
    const del = await w.key(['delete:automations']);
    const { body } = await create(
      { name: 's', trigger: { type: 'lead.created' }, actions: [{ type: 'add_tag', tag: 'x' }] },
      write,
    );
    const url = `/api/v1/automations/${body.data.id}`;
    expect((await create(valid(), read)).status).toBe(403);
    expect((await t.patch(url, { name: 'x' }, { key: read })).status).toBe(403);
    expect((await t.put(url, { name: 'x' }, { key: read })).status).toBe(403);
    expect((await t.get(url, { key: write })).status).toBe(403);
    expect((await t.delete(url, { key: write })).status).toBe(403);
    expect((await t.delete(url, { key: read })).status).toBe(403);
    expect((await t.get('/api/v1/automations', { key: read })).status).toBe(200);
    expect((await t.delete(url, { key: del })).status).toBe(204);
    expect((await t.get(url, { key: read })).status).toBe(404);
  });
});
