import { events } from '../support/leads';
import { TestApp } from '../support/test-app';

describe('inbound: POST /api/inbound/leads?tenant=SLUG', () => {
  let t: TestApp;
  let key: string;
  let ws: { id: number; slug: string };
  let otherKey: string;
  let readKey: string;
  const url = (tenant = 'inbound-acme') => `/api/inbound/leads?tenant=${tenant}`;

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('inbound-acme');
    ws = w;
    key = await w.key(['write:leads'], { rateLimit: 100_000 });
    readKey = await w.key(['read:leads']);
    otherKey = await (await t.workspace('inbound-other')).key(['*']);
  });
  afterAll(() => t.close());

  const leadsWith = (email: string) =>
    t.sql('SELECT * FROM leads WHERE workspace_id = $1 AND lower(email) = lower($2)', [ws.id, email]);

  it('creates a lead from the reference body: 201 created', async () => {
    const res = await t.post(
      url(),
      {
        email: 'sarah@example.com',
        first_name: 'Sarah',
        last_name: 'Johnson',
        phone: '+14155551234',
        company: 'Tech Corp',
        source: 'zapier',
        notes: 'Came from newsletter signup',
        tags: ['newsletter'],
        custom_fields: { utm_campaign: 'spring-promo' },
      },
      { key },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      status: 'created',
      lead_id: expect.any(Number),
      is_duplicate: false,
      stored_as_custom_fields: [],
    });
    const [lead] = await leadsWith('sarah@example.com');
    expect(lead).toMatchObject({
      id: res.body.lead_id,
      first_name: 'Sarah',
      phone_digits: '14155551234',
      source: 'zapier',
      custom_fields: { utm_campaign: 'spring-promo' },
    });
    expect((await events(t, lead.id as number)).map((e) => e.type)).toEqual(['lead.created', 'tag.added']);
  });

  it('derives first_name from the email when absent', async () => {
    const res = await t.post(url(), { email: 'j.doe+promo@example.com' }, { key });
    expect(res.status).toBe(201);
    expect((await leadsWith('j.doe+promo@example.com'))[0].first_name).toBe('j.doe+promo');
  });

  it('a duplicate by email (any case) is 200 duplicate and only fills empty fields', async () => {
    const created = await t.post(
      url(),
      {
        email: 'merge@example.com',
        first_name: 'Orig',
        company: 'Keep Co',
        tags: ['one'],
        custom_fields: { a: 1 },
      },
      { key },
    );
    const res = await t.post(
      url(),
      {
        email: 'MERGE@Example.com',
        first_name: 'Other',
        last_name: 'Filled',
        company: 'Overwrite Co',
        phone: '(020) 7946-0958',
        tags: ['two', 'ONE'],
        custom_fields: { a: 2, b: 'new', toString: 'x' },
      },
      { key },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'duplicate',
      lead_id: created.body.lead_id,
      is_duplicate: true,
      stored_as_custom_fields: [],
    });
    const lead = (await t.get(`/api/v1/leads/${created.body.lead_id}`, { key: readKey })).body.data;
    expect(lead).toMatchObject({
      first_name: 'Orig',
      last_name: 'Filled',
      company: 'Keep Co',
      phone: '(020) 7946-0958',
      email: 'merge@example.com',
      tags: ['one', 'two'],
      custom_fields: { a: 1, b: 'new', toString: 'x' },
    });
    const types = (await events(t, created.body.lead_id)).map((e) => e.type);
    expect(types).toEqual(['lead.created', 'tag.added', 'lead.updated', 'tag.added']);
  });

  it('a duplicate by phone digits is 200 and fills the missing email', async () => {
    const created = await t.post(url(), { email: 'phone1@example.com', phone: '+1 (212) 555-0199' }, { key });
    await t.sql('UPDATE leads SET email = NULL WHERE id = $1', [created.body.lead_id]);
    const res = await t.post(url(), { email: 'phone2@example.com', phone: '12125550199' }, { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'duplicate',
      lead_id: created.body.lead_id,
      is_duplicate: true,
      stored_as_custom_fields: [],
    });
    const [row] = await t.sql('SELECT email FROM leads WHERE id = $1', [created.body.lead_id]);
    expect(row.email).toBe('phone2@example.com');
  });

  it('a duplicate that adds nothing records no event', async () => {
    const created = await t.post(url(), { email: 'same@example.com', first_name: 'Same' }, { key });
    const n = (await events(t, created.body.lead_id)).length;
    const res = await t.post(url(), { email: 'same@example.com', first_name: 'Same' }, { key });
    expect(res.status).toBe(200);
    expect(await events(t, created.body.lead_id)).toHaveLength(n);
  });

  it('short phone numbers never merge leads', async () => {
    const a = await t.post(url(), { email: 'short1@example.com', phone: '112' }, { key });
    const b = await t.post(url(), { email: 'short2@example.com', phone: '112' }, { key });
    expect([a.status, b.status]).toEqual([201, 201]);
  });

  it('50 identical submissions at once make exactly one lead and one "created"', async () => {
    const body = {
      email: 'burst@example.com',
      first_name: 'Burst',
      phone: '+44 20 7946 0000',
      tags: ['burst'],
    };
    const results = await Promise.all([...Array(50)].map(() => t.post(url(), body, { key })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    expect(results.filter((r) => r.body.status === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.lead_id)).size).toBe(1);
    expect(await leadsWith('burst@example.com')).toHaveLength(1);
    const created = await t.sql(
      `SELECT count(*)::int AS n FROM domain_events WHERE type = 'lead.created' AND lead_id = $1`,
      [results[0].body.lead_id],
    );
    expect(created[0].n).toBe(1);
  });

  it('50 concurrent submissions with different emails but the same phone make one lead', async () => {
    const results = await Promise.all(
      [...Array(50)].map((_, i) =>
        t.post(url(), { email: `samephone${i}@example.com`, phone: '+1 303 555 7777' }, { key }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const rows = await t.sql(
      `SELECT id FROM leads WHERE workspace_id = $1 AND phone_digits = '13035557777'`,
      [ws.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('concurrent duplicates in any case of the email, each with its own new tag: one lead with every tag', async () => {
    const n = 20;
    const results = await Promise.all(
      [...Array(n)].map((_, i) =>
        t.post(
          url(),
          { email: i % 2 ? 'Racing@Example.com' : 'racing@example.COM', tags: [`race-${i}`, 'race-all'] },
          { key },
        ),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(n - 1);
    const [lead] = await leadsWith('racing@example.com');
    expect(await leadsWith('racing@example.com')).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.lead_id))).toEqual(new Set([lead.id]));
    const tags = await t.sql<{ name: string }>(
      `SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = $1 ORDER BY t.name`,
      [lead.id],
    );
    expect(tags.map((r) => r.name).sort()).toEqual(
      ['race-all', ...[...Array(n)].map((_, i) => `race-${i}`)].sort(),
    );
    const kinds = await t.sql(
      `SELECT type, count(*)::int AS n FROM domain_events WHERE lead_id = $1 GROUP BY type ORDER BY type`,
      [lead.id],
    );
    expect(kinds).toEqual([
      { type: 'lead.created', n: 1 },
      { type: 'lead.updated', n: n - 1 },
      { type: 'tag.added', n: n + 1 },
    ]);
  });

  it('concurrent new leads carrying the same new tags (any order, any case) each get all of them, created once', async () => {
    const n = 20;
    const names = ['wave-a', 'wave-b', 'wave-c'];
    const results = await Promise.all(
      [...Array(n)].map((_, i) =>
        t.post(
          url(),
          {
            email: `wave${i}@example.com`,
            tags: i % 2 ? [...names].reverse() : names.map((x) => (i % 3 ? x : x.toUpperCase())),
          },
          { key },
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(201));
    const created = await t.sql(
      `SELECT count(*)::int AS n FROM tags WHERE workspace_id = $1 AND lower(name) LIKE 'wave-%'`,
      [ws.id],
    );
    expect(created[0].n).toBe(3);
    for (const r of results) {
      const tags = await t.sql<{ name: string }>(
        `SELECT lower(t.name) AS name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = $1 ORDER BY 1`,
        [r.body.lead_id],
      );
      expect(tags.map((x) => x.name)).toEqual(names);
      const added = await t.sql(
        `SELECT count(*)::int AS n FROM domain_events WHERE lead_id = $1 AND type = 'tag.added'`,
        [r.body.lead_id],
      );
      expect(added[0].n).toBe(3);
      const [event] = await t.sql<{ payload: { changes: { tags: { to: string[] } } } }>(
        `SELECT payload FROM domain_events WHERE lead_id = $1 AND type = 'lead.created'`,
        [r.body.lead_id],
      );
      expect(event.payload.changes.tags.to.map((x) => x.toLowerCase())).toEqual(names);
    }
  });

  it('403 "belongs to another workspace" when the key names another or an unknown tenant; 401 without a key', async () => {
    const denied = {
      status: 'error',
      code: 'FORBIDDEN',
      message: 'This API key belongs to another workspace.',
    };
    const mismatch = await t.post(url(), { email: 'x@example.com' }, { key: otherKey });
    expect([mismatch.status, mismatch.body]).toEqual([403, denied]);
    const unknown = await t.post(url('no-such-tenant'), { email: 'x@example.com' }, { key });
    expect([unknown.status, unknown.body]).toEqual([403, denied]);
    expect((await t.post(url(), { email: 'x@example.com' })).status).toBe(401);
    expect(await leadsWith('x@example.com')).toHaveLength(0);
  });

  it('403 without write:leads', async () => {
    const read = await (await t.workspace('inbound-read')).key(['read:leads']);
    expect((await t.post(url('inbound-read'), { email: 'r@example.com' }, { key: read })).status).toBe(403);
  });

  it.each([
    [{}, 'email'],
    [{ email: '' }, 'email'],
    [{ email: null }, 'email'],
    [{ email: 'not-an-email' }, 'email'],
    [{ email: 'a@example.com', phone: 'nope' }, 'phone'],
    [{ email: 'a@example.com', tags: [{ a: 1 }] }, 'tags'],
    [{ email: 'a@example.com', custom_fields: { a: { b: 1 } } }, 'custom_fields'],
    [{ email: 'a@example.com', first_name: 'x'.repeat(256) }, 'first_name'],
  ])('422 for %j naming %s', async (body, field) => {
    const res = await t.post(url(), body, { key });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual([field]);
  });

  it('422 without a tenant, or with an invalid one', async () => {
    for (const u of [
      '/api/inbound/leads',
      '/api/inbound/leads?tenant=',
      '/api/inbound/leads?tenant=Not%20A%20Slug',
    ]) {
      const res = await t.post(u, { email: 'a@example.com' }, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['tenant']);
    }
  });
});
