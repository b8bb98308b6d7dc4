import { TestApp } from '../support/test-app';

// No-code tools send blanks, strings for numbers and extra fields: a lead is never lost over that.
describe('inbound leniency', () => {
  let t: TestApp;
  let key: string;
  const url = '/api/inbound/leads?tenant=lenient';
  const lead = async (id: number) => (await t.get(`/api/v1/leads/${id}`, { key })).body.data;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('lenient')).key(['*']);
  });
  afterAll(() => t.close());

  it('blanks are absent, numbers for text are text, numeric/boolean strings are coerced, extras are kept', async () => {
    const res = await t.post(
      url,
      {
        email: 'zap@example.com',
        first_name: 'Zoe',
        last_name: '',
        company: null,
        phone: 4155551234,
        notes: '   ',
        lead_score: '42',
        starred: 'true',
        tags: 'zapier, webinar,',
        'Budget Range': '10k+',
        utmCampaign: 'spring',
        'Employees (approx)': 250,
        opted_in: true,
        empty_extra: '',
        nested: { a: 1 },
        custom_fields: { budget_range: 'explicit wins' },
      },
      { key },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      status: 'created',
      lead_id: expect.any(Number),
      is_duplicate: false,
      stored_as_custom_fields: ['utm_campaign', 'employees_approx', 'opted_in', 'nested'],
    });
    expect(await lead(res.body.lead_id)).toMatchObject({
      first_name: 'Zoe',
      last_name: null,
      company: null,
      phone: '4155551234',
      notes: null,
      lead_score: 42,
      starred: true,
      tags: ['webinar', 'zapier'],
      custom_fields: {
        budget_range: 'explicit wins',
        utm_campaign: 'spring',
        employees_approx: 250,
        opted_in: true,
        nested: '{"a":1}',
      },
    });
  });

  it('a known field under another spelling is that field; keys of any script are kept', async () => {
    const res = await t.post(
      url,
      { Email: 'spelled@example.com', firstName: 'Sam', 会社名: 'ACME 株式会社' },
      { key },
    );
    expect(res.status).toBe(201);
    expect(res.body.stored_as_custom_fields).toEqual(['会社名']);
    expect(await lead(res.body.lead_id)).toMatchObject({
      email: 'spelled@example.com',
      first_name: 'Sam',
      custom_fields: { 会社名: 'ACME 株式会社' },
    });
  });

  it('a duplicate lists the extras too, and fills only missing custom field keys', async () => {
    const first = await t.post(url, { email: 'dup-extra@example.com', plan: 'pro' }, { key });
    const again = await t.post(url, { email: 'DUP-EXTRA@example.com', plan: 'free', seats: '5' }, { key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
      status: 'duplicate',
      lead_id: first.body.lead_id,
      is_duplicate: true,
      stored_as_custom_fields: ['plan', 'seats'],
    });
    expect((await lead(first.body.lead_id)).custom_fields).toEqual({ plan: 'pro', seats: '5' });
  });

  it.each([
    [{ first_name: 'No email' }, { email: ['The email field is required.'] }],
    [{ email: '' }, { email: ['The email field is required.'] }],
    [{ email: null }, { email: ['The email field is required.'] }],
    [{ email: 'not-an-email' }, { email: ['The email field must be a valid email address.'] }],
    [
      { email: 'long@example.com', huge: 'x'.repeat(1001) },
      {
        custom_fields: [
          'The custom_fields field must have string values of at most 1000 characters (key "huge").',
        ],
      },
    ],
    [
      {
        email: 'many@example.com',
        ...Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])),
      },
      { custom_fields: ['The custom_fields field must not have more than 100 keys.'] },
    ],
    [
      { email: 'score@example.com', lead_score: 'high' },
      { lead_score: ['The lead_score field must be an integer number.'] },
    ],
  ])('only a missing/invalid email or an over-bound value is a 422 (case %#)', async (body, errors) => {
    const res = await t.post(url, body, { key });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(errors);
  });
});
