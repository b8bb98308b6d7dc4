import { OPENAPI } from '../support/contract';
import { TestApp, type TestResponse } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Issue 11, items 1 and 14: bodies are bounded before any transformation; custom_fields keys follow one rule. */
describe('body bounds and custom fields', () => {
  let t: TestApp;
  let key: string;
  let slug: string;
  let formId: number;
  let leadId: number;

  /** `{"0":0,"1":0,…}` with n keys, as JSON text (n = 110,000: ~900 KB, under the 1 MB body limit). */
  const manyKeys = (n: number) => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(`"${i.toString(36)}":0`);
    return `{${parts.join(',')}}`;
  };
  const HUGE = manyKeys(110_000);
  const raw = (method: string, url: string, body: string, k = key) =>
    t.call(method, url, { key: k, raw: { body, type: 'application/json' } });
  const small = (res: TestResponse) => expect(JSON.stringify(res.body).length).toBeLessThan(20_000);

  beforeAll(async () => {
    t = await TestApp.start();
    const ws = await t.workspace('bounds');
    slug = ws.slug;
    key = await ws.key(['*']);
    const form = await t.post(
      '/api/v1/forms',
      {
        name: 'Bounds',
        fields: [
          { name: 'mail', label: 'Email', type: 'email', required: true, maps_to: 'email' },
          { name: 'note', label: 'Note', type: 'text', maps_to: 'custom_fields.note' },
        ],
      },
      { key },
    );
    formId = form.body.data.id;
    leadId = (await t.post('/api/v1/leads', { first_name: 'Bounded' }, { key })).body.data.id;
  });
  afterAll(() => t.close());

  it('refuses a 110,000-key body on every body route at once, fast, while health answers', async () => {
    const inboundOnly = await (await t.workspace('bounds-inbound')).key(['write:leads']);
    const big = [
      raw('POST', '/api/v1/leads', HUGE),
      raw('PATCH', `/api/v1/leads/${leadId}`, HUGE),
      raw('POST', '/api/inbound/leads?tenant=bounds-inbound', HUGE, inboundOnly),
      raw('POST', '/api/v1/tags', HUGE),
      raw('POST', `/api/v1/forms/${formId}/submissions`, HUGE),
      raw('POST', '/api/v1/automations', HUGE),
      raw('POST', '/api/v1/leads', `{"first_name":"x","custom_fields":${HUGE}}`),
    ];
    // Health is asked while the big bodies are in flight; it must answer (a stalled event loop would hold it for
    // as long as the quadratic transformation of each body: tens of seconds, past the test's timeout).
    const health = await t.get('/api/v1/health');
    expect(health.status).toBe(200);
    const results = await Promise.all(big);
    results.forEach((r) => {
      expect([413, 422]).toContain(r.status);
      small(r);
    });
    expect(results.slice(0, 6).map((r) => Object.keys(r.body.errors ?? {}))).toEqual(Array(6).fill(['body']));
    expect(Object.keys(results[6].body.errors)).toEqual(['custom_fields']);
    expect(results[6].body.errors.custom_fields[0]).toMatch(/200 keys/);
  });

  it('refuses an over-bound JSON body from its bytes: the huge object is never parsed', async () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const cases: [string, string, string][] = [
        [HUGE, 'body', 'The body field must not have more than 200 keys.'],
        [`{"first_name":"x","custom_fields":${HUGE}}`, 'custom_fields', '200 keys'],
        [`{"a\\"b":{"c":[0,${HUGE}]}}`, 'a"b.c.1', '200 keys'],
        [`[${'0,'.repeat(1000)}0]`, 'body', '1000 items'],
        [
          `{"a":[${Array(60)
            .fill(`{${manyKeys(199).slice(1, -1)}}`)
            .join(',')}]}`,
          'body',
          '10000 values',
        ],
        [`${'['.repeat(40)}${']'.repeat(40)}`, 'body', '32 levels'],
        // Malformed after the bound: refused by the bound (the parser never runs); before it: the parser's 400.
        [`${HUGE.slice(0, -1)},"x":`, 'body', '200 keys'],
      ];
      for (const [body, field, message] of cases) {
        const res = await raw('POST', '/api/v1/leads', body);
        expect(res.status).toBe(422);
        expect(Object.keys(res.body.errors)).toEqual([field]);
        expect(res.body.errors[field][0]).toContain(message);
      }
      expect((await raw('POST', '/api/v1/leads', `{"first_name":"x",${manyKeys(10).slice(1)}`)).status).toBe(
        422, // within bounds: parsed, then refused by validation (unknown fields)
      );
      expect((await raw('POST', '/api/v1/leads', '{"first_name":"x",')).status).toBe(400);
      // JSON.parse only ever saw small texts (the error bodies, the in-bounds requests), never a refused body.
      const longest = Math.max(0, ...parse.mock.calls.map(([text]) => String(text).length));
      expect(longest).toBeLessThan(10_000);
    } finally {
      parse.mockRestore();
    }
  });

  it('bounds arrays and objects inside automation actions and form fields', async () => {
    const actions = await raw(
      'POST',
      '/api/v1/automations',
      `{"name":"a","trigger":{"type":"lead.created"},"actions":[${Array(5000).fill('{"type":"add_tag","tag":"x"}').join(',')}]}`,
    );
    expect(actions.status).toBe(422);
    expect(actions.body.errors).toEqual({
      actions: ['The actions field must not have more than 1000 items.'],
    });
    const inAction = await raw(
      'POST',
      '/api/v1/automations',
      `{"name":"a","trigger":{"type":"lead.created"},"actions":[${HUGE}]}`,
    );
    expect(inAction.status).toBe(422);
    expect(Object.keys(inAction.body.errors)).toEqual(['actions.0']);
    const fields = await raw(
      'POST',
      '/api/v1/forms',
      `{"name":"f","fields":[${Array(3000).fill('{}').join(',')}]}`,
    );
    expect(fields.status).toBe(422);
    expect(Object.keys(fields.body.errors)).toEqual(['fields']);
    const deep = await raw('POST', '/api/v1/forms', `{"name":"f","fields":[{"options":${HUGE}}]}`);
    expect(deep.status).toBe(422);
    expect(Object.keys(deep.body.errors)).toEqual(['fields.0.options']);
  });

  it('documents the bounds: every object and array of every request body has maxProperties / maxItems', () => {
    const unbounded: string[] = [];
    const seen = new Set<Json>();
    const visit = (schema: Json | undefined, where: string) => {
      if (!schema || seen.has(schema)) return;
      seen.add(schema);
      if (schema.$ref) return visit(OPENAPI.components.schemas[schema.$ref.split('/').pop()], schema.$ref);
      const types = [schema.type].flat();
      if ((types.includes('object') || schema.properties) && !(schema.maxProperties <= 200))
        unbounded.push(`${where} (object)`);
      if (types.includes('array') && !(schema.maxItems <= 1000)) unbounded.push(`${where} (array)`);
      for (const [k, v] of Object.entries<Json>(schema.properties ?? {})) visit(v, `${where}.${k}`);
      visit(schema.items, `${where}[]`);
      if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${where}.*`);
      for (const s of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])])
        visit(s, where);
    };
    for (const [path, item] of Object.entries<Json>(OPENAPI.paths))
      for (const [method, op] of Object.entries<Json>(item))
        for (const media of Object.values<Json>(op.requestBody?.content ?? {}))
          visit(media.schema, `${method.toUpperCase()} ${path}`);
    expect(unbounded).toEqual([]);
    expect(OPENAPI.components.schemas.CreateLeadDto.properties.custom_fields.maxProperties).toBe(100);
  });

  it('bounds error bodies: at most 50 fields and a count of the rest', async () => {
    const body = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`unknown_${i}`, 1]));
    const res = await t.post('/api/v1/tags', { name: 'x', ...body }, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toHaveLength(50);
    expect(res.body.omitted_errors).toBe(100);
    const longKey = await raw('POST', '/api/v1/tags', `{"name":"x","${'k'.repeat(100_000)}":1}`);
    expect(longKey.status).toBe(422);
    small(longKey);
  });

  it('custom_fields: at most 100 keys of 1–64 characters, values up to 1,000 characters', async () => {
    const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    expect(
      (await t.post('/api/v1/leads', { first_name: 'a', custom_fields: fields(100) }, { key })).status,
    ).toBe(201);
    for (const custom_fields of [
      fields(101),
      { ['k'.repeat(65)]: 1 },
      { ok: 'v'.repeat(1001) },
      { constructor: 'x' },
      { prototype: 'x' },
    ]) {
      const create = await t.post('/api/v1/leads', { first_name: 'a', custom_fields }, { key });
      expect(create.status).toBe(422);
      expect(Object.keys(create.body.errors)).toEqual(['custom_fields']);
      const update = await t.patch(`/api/v1/leads/${leadId}`, { custom_fields }, { key });
      expect(update.status).toBe(422);
      const inbound = await t.post(
        `/api/inbound/leads?tenant=${slug}`,
        { email: 'in@example.com', custom_fields },
        { key },
      );
      expect(inbound.status).toBe(422);
      expect(Object.keys(inbound.body.errors)).toContain('custom_fields');
    }
  });

  it('no form mapping or automation can write a custom_fields key the API would refuse', async () => {
    const form = (field: Record<string, unknown>) =>
      t.post(
        '/api/v1/forms',
        {
          name: 'Keys',
          fields: [{ name: 'mail', label: 'Email', type: 'email', maps_to: 'email' }, field],
        },
        { key },
      );
    for (const target of ['constructor', 'prototype', '__proto__', 'k'.repeat(65)]) {
      const res = await form({ name: 'x', label: 'X', type: 'hidden', maps_to: `custom_fields.${target}` });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['fields.1.maps_to']);
    }
    for (const name of ['constructor', 'prototype']) {
      const res = await form({ name, label: 'X', type: 'text' }); // unmapped: fills custom_fields.<name>
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['fields.1.name']);
    }
    const automation = (action: Record<string, unknown>) =>
      t.post(
        '/api/v1/automations',
        { name: 'set', trigger: { type: 'lead.created' }, actions: [{ type: 'set_field', ...action }] },
        { key },
      );
    for (const field of [
      'custom_fields.constructor',
      'custom_fields.prototype',
      `custom_fields.${'k'.repeat(65)}`,
    ]) {
      const res = await automation({ field, value: 'x' });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['actions.0.field']);
    }
    const long = await automation({ field: 'custom_fields.note', value: 'v'.repeat(1001) });
    expect(long.status).toBe(422);
    expect(Object.keys(long.body.errors)).toEqual(['actions.0.value']);
  });

  it('a form submission stores the validated value, not the raw one', async () => {
    const padded = `${' '.repeat(900_000)}kept${' '.repeat(1000)}`;
    const res = await t.post(
      `/api/v1/forms/${formId}/submissions`,
      { mail: ' stored@example.com ', note: padded },
      { key },
    );
    expect(res.status).toBe(201);
    const [row] = await t.sql<{ values: Record<string, unknown> }>(
      'SELECT "values" FROM form_submissions WHERE id = $1',
      [res.body.data.id],
    );
    expect(row.values).toEqual({ mail: 'stored@example.com', note: 'kept' });
    const lead = await t.get(`/api/v1/leads/${res.body.data.lead_id}`, { key });
    expect(lead.body.data.custom_fields).toEqual({ note: 'kept' });
  });
});
