import { TestApp } from '../support/test-app';
import { createIntegration, deliveries, pathOf } from './integration-support';

const KEY = 'google-webhook-key-0123';
const email = (name: string) => [name, 'example.com'].join('@');

/** A lead as Google Ads' lead form webhook posts it. */
function googleLead(leadId: string, address: string, extra: Record<string, unknown> = {}) {
  // A phone of its own per address (leads sharing a phone are one person).
  const phone = `+1 202 555 ${String(1000 + (hash(address.toLowerCase()) % 9000))}`;
  return {
    lead_id: leadId,
    api_version: '1.0',
    form_id: 123456789,
    campaign_id: 987654321,
    google_key: KEY,
    is_test: false,
    gcl_id: 'EAIaIQobChMI-gclid',
    adgroup_id: 20000000000,
    creative_id: 30000000000,
    user_column_data: [
      { column_name: 'Full Name', string_value: 'Grace Hopper', column_id: 'FULL_NAME' },
      { column_name: 'User Email', string_value: address, column_id: 'EMAIL' },
      { column_name: 'User Phone', string_value: phone, column_id: 'PHONE_NUMBER' },
      { column_name: 'Postal Code', string_value: '20001', column_id: 'POSTAL_CODE' },
      { column_name: 'Which product?', string_value: 'COBOL' },
    ],
    ...extra,
  };
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

describe('Google Ads lead form receiver', () => {
  let t: TestApp;
  let key: string;
  let path: string;
  let integrationId: number;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('gads')).key();
    const g = await createIntegration(t, key, 'google_ads', {
      webhook_key: KEY,
      tags: ['google-ads'],
      field_mapping: { 'Which product?': 'custom_fields.product' },
    });
    path = pathOf(g.receiver_url);
    integrationId = g.id;
    expect(g.receiver_url).toMatch(/\/api\/v1\/receivers\/google-ads\/[0-9a-f]{64}$/);
    expect(g.config.webhook_key).toBe('••••0123');
  });
  afterAll(() => t.close());

  const leadsBy = (address: string) =>
    t.sql<{
      id: number;
      source: string;
      first_name: string;
      last_name: string;
      phone: string;
      custom_fields: object;
    }>('SELECT id, source, first_name, last_name, phone, custom_fields FROM leads WHERE lower(email) = $1', [
      address,
    ]);
  const tagsOf = async (leadId: number) =>
    (
      await t.sql<{ name: string }>(
        'SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = $1 ORDER BY t.name',
        [leadId],
      )
    ).map((r) => r.name);

  it('maps the standard columns, keeps the others, and creates the lead once per lead_id', async () => {
    const res = await t.post(path, googleLead('lead-1', email('grace.g')));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'created', lead_id: expect.any(Number), is_duplicate: false });
    const [lead] = await leadsBy(email('grace.g'));
    expect(lead).toMatchObject({
      id: res.body.lead_id,
      source: 'google_ads',
      first_name: 'Grace',
      last_name: 'Hopper',
      phone: expect.stringMatching(/^\+1 202 555 \d{4}$/),
      custom_fields: { POSTAL_CODE: '20001', product: 'COBOL', gcl_id: 'EAIaIQobChMI-gclid' },
    });
    expect(await tagsOf(lead.id)).toEqual(['google-ads']);

    // Google sends the same lead again (it retries until it gets a 200): one lead, one receipt.
    const again = await t.post(path, googleLead('lead-1', email('grace.g')));
    expect(again.body).toEqual({ status: 'duplicate', lead_id: lead.id, is_duplicate: true });
    expect(await leadsBy(email('grace.g'))).toHaveLength(1);
    const list = await deliveries(t, key, integrationId);
    expect(list.filter((d) => d.external_id === 'lead-1')).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        kind: 'google_ads_lead',
        status: 'processed',
        lead_id: lead.id,
      }),
    ]);
    const [stored] = await t.sql<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM integration_receipts WHERE external_id = 'lead-1'`,
    );
    expect(stored.payload).not.toHaveProperty('google_key');
  });

  it('the same lead_id sent many times at once still makes one lead', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => t.post(path, googleLead('lead-burst', email('burst.g')))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(answers.filter((a) => a.body.status === 'created')).toHaveLength(1);
    expect(await leadsBy(email('burst.g'))).toHaveLength(1);
  });

  it('tags test leads `test` and de-duplicates a new lead_id by email', async () => {
    const first = await t.post(path, googleLead('lead-t1', email('test.g'), { is_test: true }));
    expect(first.body.status).toBe('created');
    expect(await tagsOf(first.body.lead_id)).toEqual(['google-ads', 'test']);
    const second = await t.post(path, googleLead('lead-t2', email('TEST.g')));
    expect(second.body).toEqual({ status: 'duplicate', lead_id: first.body.lead_id, is_duplicate: true });
  });

  it('refuses a wrong or missing google_key and stores nothing', async () => {
    const before = await t.sql('SELECT id FROM integration_receipts');
    for (const body of [
      googleLead('lead-x', email('intruder.g'), { google_key: 'guess' }),
      googleLead('lead-x', email('intruder.g'), { google_key: undefined }),
      googleLead('lead-x', email('intruder.g'), { google_key: `${KEY}x` }),
    ]) {
      const res = await t.post(path, body);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect(await leadsBy(email('intruder.g'))).toEqual([]);
    expect(await t.sql('SELECT id FROM integration_receipts')).toHaveLength(before.length);
  });

  it('422 for a payload without a lead_id or columns (with the right key)', async () => {
    const res = await t.post(path, { google_key: KEY, user_column_data: [{ column_id: 'EMAIL' }] });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(['lead_id', 'user_column_data.0']);
  });

  it("an unknown token, another type's token or an inactive integration is a 404", async () => {
    expect(
      (await t.post(`/api/v1/receivers/google-ads/${'f'.repeat(64)}`, googleLead('n', email('n.g')))).status,
    ).toBe(404);
    expect((await t.post('/api/v1/receivers/google-ads/short', googleLead('n', email('n.g')))).status).toBe(
      404,
    );
    const hook = await createIntegration(t, key, 'webhook', {
      url: 'https://93.184.215.14/',
      event_types: ['lead.created'],
    });
    const token = (
      await t.sql<{ receiver_token: string }>('SELECT receiver_token FROM integrations WHERE id = $1', [
        hook.id,
      ])
    )[0].receiver_token;
    expect(hook.receiver_url).toBeNull();
    expect(
      (await t.post(`/api/v1/receivers/google-ads/${token}`, googleLead('n', email('n.g')))).status,
    ).toBe(404);
    const other = await createIntegration(t, key, 'google_ads', { webhook_key: KEY }, { is_active: false });
    expect((await t.post(pathOf(other.receiver_url), googleLead('n', email('n.g')))).status).toBe(404);
    expect(await leadsBy(email('n.g'))).toEqual([]);
  });

  it("puts the lead in the integration's workspace only", async () => {
    const otherKey = await (await t.workspace('gads-other')).key();
    const theirs = await createIntegration(t, otherKey, 'google_ads', { webhook_key: KEY });
    const res = await t.post(pathOf(theirs.receiver_url), googleLead('lead-1', email('iso.g')));
    expect(res.body.status).toBe('created'); // the same lead_id in another integration is another lead
    expect((await t.get(`/api/v1/leads/${res.body.lead_id}`, { key })).status).toBe(404);
    expect((await t.get(`/api/v1/leads/${res.body.lead_id}`, { key: otherKey })).status).toBe(200);
    expect((await t.get(`/api/v1/integrations/${theirs.id}/deliveries`, { key })).status).toBe(404);
  });
});
