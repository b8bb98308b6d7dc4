import { AppConfig } from '../../src/config/app-config';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { IntegrationsService } from '../../src/integrations/integrations.service';
import { TestApp } from '../support/test-app';

const KEY = randomBytes(32);
process.env.LEADHUB_SECRET_KEY = KEY.toString('hex');

const API_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const MAILGUN = { api_key: API_KEY, domain: 'mg.example.com', region: 'eu' };
const HOOK = { url: 'https://93.184.215.14/hook', event_types: ['lead.created'] };

describe('integrations', () => {
  let t: TestApp;
  let key: string;
  let wsId: number;
  let other: string;
  const box = SecretBox.withKey(KEY);

  beforeAll(async () => {
    t = await TestApp.start();
    const ws = await t.workspace('integrations');
    wsId = ws.id;
    key = await ws.key(['*']);
    other = await (await t.workspace('integrations-other')).key(['*']);
  });
  afterAll(() => t.close());

  const create = (body: object, k = key) => t.post('/api/v1/integrations', body, { key: k });
  const row = async (id: number) =>
    (
      await t.sql<{ config: Record<string, string> }>('SELECT config FROM integrations WHERE id = $1', [id])
    )[0];

  it('lists the types with their config fields, not captured by /{id}', async () => {
    const res = await t.get('/api/v1/integrations/types', { key });
    expect(res.status).toBe(200);
    const types = res.body.data.map((x: { type: string }) => x.type);
    expect(types).toEqual(['facebook_lead_ads', 'google_ads', 'mailgun', 'slack', 'webhook']);
    const mailgun = res.body.data.find((x: { type: string }) => x.type === 'mailgun');
    expect(mailgun.config_fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'api_key', type: 'string', required: true, secret: true }),
        expect.objectContaining({ name: 'region', options: ['us', 'eu'], secret: false }),
      ]),
    );
    const slack = res.body.data.find((x: { type: string }) => x.type === 'slack');
    expect(slack.config_fields[0]).toMatchObject({ name: 'webhook_url', type: 'url', secret: true });
    const readOnly = await (await t.workspace('types-scope')).key(['read:integrations']);
    expect((await t.get('/api/v1/integrations/types', { key: readOnly })).status).toBe(200);
    const noScope = await (await t.workspace('types-noscope')).key(['read:tags']);
    expect((await t.get('/api/v1/integrations/types', { key: noScope })).status).toBe(403);
  });

  it('creates, shows, updates and deletes an integration; secrets masked everywhere', async () => {
    const res = await create({ type: 'mailgun', name: 'Mailgun EU', config: MAILGUN });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      type: 'mailgun',
      name: 'Mailgun EU',
      config: { api_key: '••••eol0', domain: 'mg.example.com', region: 'eu' },
      receiver_url: null,
      is_active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(Object.keys(res.body.data.config)).toEqual(['api_key', 'domain', 'region']); // catalog order
    const id = res.body.data.id;
    const shown = await t.get(`/api/v1/integrations/${id}`, { key });
    expect(shown.body.data).toEqual(res.body.data);
    const list = await t.get('/api/v1/integrations', { key });
    expect(list.body.data.map((x: { id: number }) => x.id)).toContain(id);
    const patched = await t.patch(
      `/api/v1/integrations/${id}`,
      { name: 'Renamed', is_active: false },
      { key },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      name: 'Renamed',
      is_active: false,
      config: shown.body.data.config,
    });
    for (const body of [res.body, shown.body, list.body, patched.body])
      expect(JSON.stringify(body)).not.toContain(API_KEY);
    expect((await t.delete(`/api/v1/integrations/${id}`, { key })).status).toBe(204);
    expect((await t.get(`/api/v1/integrations/${id}`, { key })).status).toBe(404);
    expect((await t.delete(`/api/v1/integrations/${id}`, { key })).status).toBe(404);
  });

  it('stores secrets encrypted: no plaintext in the row, decryptable only with the key', async () => {
    const { body } = await create({ type: 'mailgun', name: 'Enc', config: MAILGUN });
    const { config } = await row(body.data.id);
    expect(JSON.stringify(config)).not.toContain(API_KEY);
    expect(config.api_key).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(config.domain).toBe('mg.example.com');
    expect(box.decrypt(config.api_key)).toBe(API_KEY);
    expect(() => SecretBox.withKey(randomBytes(32)).decrypt(config.api_key)).toThrow();
    const service = t.app.get(IntegrationsService);
    const entity = await service.get(wsId, body.data.id);
    expect(service.revealConfig(entity)).toEqual(MAILGUN);
    // The same secret encrypts differently each time (random IV).
    const again = await create({ type: 'mailgun', name: 'Enc2', config: MAILGUN });
    expect((await row(again.body.data.id)).config.api_key).not.toBe(config.api_key);
  });

  it('keeps the stored secret when the masked value is sent back; replaces it otherwise', async () => {
    const { body } = await create({ type: 'mailgun', name: 'Round trip', config: MAILGUN });
    const id = body.data.id;
    const before = (await row(id)).config.api_key;
    for (const method of ['put', 'patch'] as const) {
      const res = await t[method](
        `/api/v1/integrations/${id}`,
        { config: { ...body.data.config, region: 'us' } },
        { key },
      );
      expect(res.status).toBe(200);
      expect(res.body.data.config).toEqual({ api_key: '••••eol0', domain: 'mg.example.com', region: 'us' });
      expect((await row(id)).config.api_key).toBe(before);
    }
    const wrongMask = await t.patch(
      `/api/v1/integrations/${id}`,
      { config: { ...MAILGUN, api_key: '••••zzzz' } },
      { key },
    );
    expect(wrongMask.status).toBe(422);
    expect(Object.keys(wrongMask.body.errors)).toEqual(['config.api_key']);
    const replaced = await t.patch(
      `/api/v1/integrations/${id}`,
      { config: { ...MAILGUN, api_key: 'key-new-secret-value-1234' } },
      { key },
    );
    expect(replaced.body.data.config.api_key).toBe('••••1234');
    expect(box.decrypt((await row(id)).config.api_key)).toBe('key-new-secret-value-1234');
  });

  it('masks short secrets entirely and round-trips them', async () => {
    const { body } = await create({
      type: 'webhook',
      name: 'Short',
      config: { ...HOOK, secret: 'abc123' },
    });
    expect(body.data.config).toEqual({ ...HOOK, secret: '••••' });
    const before = (await row(body.data.id)).config.secret;
    const res = await t.put(`/api/v1/integrations/${body.data.id}`, { config: body.data.config }, { key });
    expect(res.status).toBe(200);
    expect((await row(body.data.id)).config.secret).toBe(before);
    expect(box.decrypt(before)).toBe('abc123');
  });

  it.each([
    [
      'missing required field',
      { type: 'mailgun', name: 'x', config: { api_key: 'k', region: 'us' } },
      ['config.domain'],
    ],
    ['wrong type', { type: 'mailgun', name: 'x', config: { ...MAILGUN, domain: true } }, ['config.domain']],
    [
      'value outside the options',
      { type: 'mailgun', name: 'x', config: { ...MAILGUN, region: 'asia' } },
      ['config.region'],
    ],
    [
      'invalid email',
      { type: 'mailgun', name: 'x', config: { ...MAILGUN, from_email: 'nope' } },
      ['config.from_email'],
    ],
    ['unknown key', { type: 'mailgun', name: 'x', config: { ...MAILGUN, foo: 1 } }, ['config.foo']],
    ['config not an object', { type: 'mailgun', name: 'x', config: 'a=b' }, ['config']],
    ['no config for required fields', { type: 'webhook', name: 'x' }, ['config.event_types', 'config.url']],
    ['unknown type', { type: 'myspace', name: 'x', config: {} }, ['type']],
    ['missing name', { type: 'webhook', config: HOOK }, ['name']],
    ['read-only fields', { type: 'webhook', name: 'x', id: 3, created_at: 'now' }, ['created_at', 'id']],
  ])('422 for %s', async (_label, body, paths) => {
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(paths);
  });

  it('refuses to change the type', async () => {
    const { body } = await create({
      type: 'webhook',
      name: 'Z',
      config: HOOK,
    });
    const res = await t.patch(`/api/v1/integrations/${body.data.id}`, { type: 'slack' }, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['type']);
    const nulls = await t.put(
      `/api/v1/integrations/${body.data.id}`,
      { name: null, is_active: null },
      { key },
    );
    expect(nulls.status).toBe(422);
    expect(Object.keys(nulls.body.errors).sort()).toEqual(['is_active', 'name']);
    expect(
      (await t.patch(`/api/v1/integrations/${body.data.id}`, { type: 'webhook', name: 'Z2' }, { key }))
        .status,
    ).toBe(200);
  });

  describe('URL fields are guarded against SSRF', () => {
    afterEach(() => (t.app.get(AppConfig).allowPrivateUrls = false));

    it.each([
      'http://127.0.0.1/hook',
      'http://10.0.0.1/',
      'http://172.20.1.1/',
      'http://192.168.1.10/',
      'http://100.64.0.1/',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/',
      'http://2130706433/',
      'http://localhost:3000/',
      'ftp://example.com/file',
      'not a url',
      'http://no-such-host.invalid/',
    ])('422 for %s', async (url) => {
      for (const [type, field] of [
        ['webhook', 'url'],
        ['slack', 'webhook_url'],
      ]) {
        const config = type === 'webhook' ? { ...HOOK, url } : { [field]: url };
        const res = await create({ type, name: 'x', config });
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual([`config.${field}`]);
      }
    });

    it('accepts public addresses, and private ones when LEADHUB_ALLOW_PRIVATE_URLS=1', async () => {
      expect(
        (await create({ type: 'webhook', name: 'pub', config: { ...HOOK, url: 'https://93.184.215.14/x' } }))
          .status,
      ).toBe(201);
      t.app.get(AppConfig).allowPrivateUrls = true; // as LEADHUB_ALLOW_PRIVATE_URLS=1 would
      expect(
        (await create({ type: 'webhook', name: 'lan', config: { ...HOOK, url: 'http://127.0.0.1:8080/x' } }))
          .status,
      ).toBe(201);
      expect(
        (await create({ type: 'webhook', name: 'ftp', config: { ...HOOK, url: 'ftp://127.0.0.1/x' } }))
          .status,
      ).toBe(422);
    });
  });

  it('filters by type and is_active and sorts by name', async () => {
    const ws = await t.workspace('integrations-list');
    const k = await ws.key(['*']);
    for (const [name, active] of [
      ['b', true],
      ['a', false],
      ['c', true],
    ] as const)
      await create({ type: 'webhook', name, is_active: active, config: HOOK }, k);
    await create({ type: 'mailgun', name: 'm', config: MAILGUN }, k);
    const names = async (qs: string) =>
      (await t.get(`/api/v1/integrations?${qs}`, { key: k })).body.data.map((x: { name: string }) => x.name);
    expect(await names('type=webhook&sort=name&direction=asc')).toEqual(['a', 'b', 'c']);
    expect(await names('is_active=false')).toEqual(['a']);
    expect(await names('type=webhook&is_active=true&sort=name&direction=desc')).toEqual(['c', 'b']);
    expect((await t.get('/api/v1/integrations?type=nope', { key: k })).status).toBe(422);
    expect((await t.get('/api/v1/integrations?is_active=yes', { key: k })).status).toBe(422);
  });

  it('404 for another workspace’s integration on every route', async () => {
    const { body } = await create({ type: 'mailgun', name: 'Mine', config: MAILGUN });
    const url = `/api/v1/integrations/${body.data.id}`;
    expect((await t.get(url, { key: other })).status).toBe(404);
    expect((await t.put(url, { name: 'x' }, { key: other })).status).toBe(404);
    expect((await t.patch(url, { name: 'x' }, { key: other })).status).toBe(404);
    expect((await t.delete(url, { key: other })).status).toBe(404);
    expect((await t.get('/api/v1/integrations', { key: other })).body.data).toEqual([]);
    expect((await t.get('/api/v1/integrations/abc', { key })).status).toBe(404);
    expect((await t.get(url, { key })).body.data.name).toBe('Mine');
  });

  it('403 without the scope', async () => {
    const ws = await t.workspace('integrations-scopes');
    const read = await ws.key(['read:integrations']);
    const write = await ws.key(['write:integrations']);
    const { body } = await create({ type: 'mailgun', name: 'S', config: MAILGUN }, write);
    const url = `/api/v1/integrations/${body.data.id}`;
    expect((await create({ type: 'mailgun', name: 'x', config: MAILGUN }, read)).status).toBe(403);
    expect((await t.put(url, { name: 'x' }, { key: read })).status).toBe(403);
    expect((await t.patch(url, { name: 'x' }, { key: read })).status).toBe(403);
    expect((await t.delete(url, { key: read })).status).toBe(403);
    expect((await t.get(url, { key: write })).status).toBe(403);
    expect((await t.get('/api/v1/integrations', { key: write })).status).toBe(403);
    expect((await t.get(url, { key: read })).status).toBe(200);
    expect((await t.delete(url, { key: write })).status).toBe(204);
  });
});
