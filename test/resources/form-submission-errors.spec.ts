import { TestApp } from '../support/test-app';
import { email, FIELDS } from '../support/form-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('forms: a submission is validated against its form, every error by field name', () => {
  let t: TestApp;
  let key: string;
  let form: Json;

  const submit = (id: number, body: unknown) => t.post(`/api/v1/forms/${id}/submissions`, body, { key });
  const valid = (over: Json = {}) => ({ first: 'Ada', mail: email('ada'), consent: true, ...over });

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('form-submission-errors')).key(['*']);
    form = (await t.post('/api/v1/forms', { name: 'Contact', fields: FIELDS }, { key })).body.data;
  });
  afterAll(() => t.close());

  it.each<[string, Json, string[]]>([
    ['a required field missing', { first: 'A', consent: true }, ['mail']],
    ['a required field empty', valid({ mail: '   ' }), ['mail']],
    ['a required checkbox unchecked', valid({ consent: false }), ['consent']],
    ['a checkbox not a boolean', valid({ consent: 'maybe' }), ['consent']],
    ['a bad email', valid({ mail: 'not-an-email' }), ['mail']],
    ['a bad phone', valid({ tel: 'call me' }), ['tel']],
    ['a value not in the options', valid({ budget: 'huge' }), ['budget']],
    ['an object for a text field', valid({ org: { name: 'x' } }), ['org']],
    ['a text too long', valid({ org: 'o'.repeat(256) }), ['org']],
    ['an extra field over the bounds', valid({ coupon: 'x'.repeat(1001) }), ['coupon']],
    ['several problems at once', { mail: 'x', budget: 'huge', nope: 1 }, ['budget', 'consent', 'mail']],
  ])('%s → 422 naming the field', async (_name, body, fields) => {
    const before = await t.sql('SELECT count(*)::int AS n FROM form_submissions WHERE form_id = $1', [
      form.id,
    ]);
    const res = await submit(form.id, body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors).sort()).toEqual(fields);
    expect(
      await t.sql('SELECT count(*)::int AS n FROM form_submissions WHERE form_id = $1', [form.id]),
    ).toEqual(before);
  });

  it('is lenient like inbound: extra fields kept on the submission (not the lead), numbers as text, "on" checks', async () => {
    const res = await submit(form.id, {
      ...valid({ mail: 'lenient@example.com', last: 42, consent: 'on' }),
      coupon: 'FREE',
      utm_source: 'newsletter',
      blank_extra: '',
      count: 3,
    });
    expect(res.status).toBe(201);
    const [row] = await t.sql<{ values: Json }>('SELECT "values" FROM form_submissions WHERE id = $1', [
      res.body.data.id,
    ]);
    expect(row.values).toMatchObject({
      last: '42',
      consent: true,
      coupon: 'FREE',
      utm_source: 'newsletter',
      count: '3',
    });
    expect(row.values).not.toHaveProperty('blank_extra');
    const lead = (await t.get(`/api/v1/leads/${res.body.data.lead_id}`, { key })).body.data;
    expect(lead.last_name).toBe('42');
    expect(lead.custom_fields).not.toHaveProperty('coupon');
  });

  it('a body that is not an object → 422', async () => {
    const res = await t.call('POST', `/api/v1/forms/${form.id}/submissions`, {
      key,
      raw: { body: '["a"]', type: 'application/json' },
    });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['body']);
  });

  it('needs a first name or an email when neither is required', async () => {
    const f = await t.post(
      '/api/v1/forms',
      {
        name: 'Optional identity',
        fields: [
          { name: 'name', label: 'Name', type: 'text', maps_to: 'first_name' },
          { name: 'email', label: 'Email', type: 'email', maps_to: 'email' },
          { name: 'note', label: 'Note', type: 'text' },
        ],
      },
      { key },
    );
    const res = await submit(f.body.data.id, { note: 'hi' });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(['email', 'name']);
    expect((await submit(f.body.data.id, { name: 'Solo', note: 'hi' })).status).toBe(201);
  });

  it('an inactive form → 422 saying so', async () => {
    const f = await t.post('/api/v1/forms', { name: 'Closed', fields: FIELDS, is_active: false }, { key });
    const res = await submit(f.body.data.id, valid({ mail: email('closed') }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toMatch(/inactive/);
    expect(await t.sql('SELECT id FROM leads WHERE lower(email) = $1', [email('closed')])).toEqual([]);
  });

  it('hostile values and keys never cause a 5xx', async () => {
    const f = await t.post(
      '/api/v1/forms',
      {
        name: 'Hostile',
        fields: [
          ...FIELDS,
          // Named constructor, mapped elsewhere: unmapped it would fill custom_fields.constructor (refused).
          { name: 'constructor', label: 'Ctor', type: 'text', maps_to: 'custom_fields.ctor' },
          { name: 'proto', label: 'Proto', type: 'hidden', maps_to: 'custom_fields.proto_' },
        ],
      },
      { key },
    );
    expect(f.status).toBe(201);
    const values: unknown[] = [
      '',
      ' ',
      'x'.repeat(20_000),
      1e308,
      -0,
      [],
      {},
      [1],
      { a: { b: 1 } },
      true,
      false,
    ];
    values.push(null, '\u202e\u{1F600}', "'; DROP TABLE leads; --", `${'a'.repeat(300)}@example.com`);
    for (const name of [...FIELDS.map((x) => x.name), 'constructor', 'proto', 'toString', 'hasOwnProperty'])
      for (const v of values) {
        const res = await submit(f.body.data.id, valid({ mail: email(`hostile.${name}`), [name]: v }));
        if (![201, 422].includes(res.status))
          throw new Error(`${name}=${JSON.stringify(v).slice(0, 80)} → ${res.status}`);
      }
    const ok = await submit(f.body.data.id, valid({ mail: email('proto.ok'), proto: 'kept' }));
    expect(ok.status).toBe(201);
    const lead = await t.get(`/api/v1/leads/${ok.body.data.lead_id}`, { key });
    expect(lead.body.data.custom_fields).toMatchObject({ proto_: 'kept' });
  });
});
