import { TestApp } from '../support/test-app';

const HOOK = { url: 'https://93.184.215.14/hook', event_types: ['lead.created'] };

/** The configs of the working types: lists, mappings, receivers. */
describe('integration configs', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('configs')).key();
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) => t.post('/api/v1/integrations', body, { key });

  it.each([
    [
      'an event type that does not exist',
      { type: 'webhook', name: 'x', config: { ...HOOK, event_types: ['lead.created', 'lead.eaten'] } },
      ['config.event_types'],
    ],
    [
      'no event type',
      { type: 'webhook', name: 'x', config: { ...HOOK, event_types: [] } },
      ['config.event_types'],
    ],
    [
      'a mapping to no lead field',
      { type: 'google_ads', name: 'x', config: { webhook_key: 'k', field_mapping: { CITY: 'password' } } },
      ['config.field_mapping'],
    ],
    [
      'a tag list that is not one',
      { type: 'google_ads', name: 'x', config: { webhook_key: 'k', tags: 'a' } },
      ['config.tags'],
    ],
    ['a type that left the catalog', { type: 'zapier', name: 'x', config: { hook_url: HOOK.url } }, ['type']],
  ])('422 for %s', async (_label, body, paths) => {
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(paths);
  });

  it('shows a receiver URL for the receiving types only, and keeps lists and mappings', async () => {
    const g = await create({
      type: 'google_ads',
      name: 'G',
      config: {
        webhook_key: 'key-123456789',
        tags: ['ads', 'q4'],
        field_mapping: { CITY: 'custom_fields.town' },
      },
    });
    expect(g.status).toBe(201);
    expect(g.body.data).toMatchObject({
      config: { webhook_key: '••••6789', tags: ['ads', 'q4'], field_mapping: { CITY: 'custom_fields.town' } },
      receiver_url: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1(:\d+)?\/api\/v1\/receivers\/google-ads\/[0-9a-f]{64}$/,
      ),
    });
    const shown = await t.get(`/api/v1/integrations/${g.body.data.id}`, { key });
    expect(new URL(shown.body.data.receiver_url).pathname).toBe(new URL(g.body.data.receiver_url).pathname);
    const m = await create({
      type: 'mailgun',
      name: 'M',
      config: { api_key: 'key-1', domain: 'mg.example.com', region: 'us' },
    });
    expect(m.body.data.receiver_url).toBeNull();
  });
});
