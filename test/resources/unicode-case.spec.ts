import { TestApp } from '../support/test-app';

/**
 * Case-insensitivity beyond ASCII, the same on the embedded database and on a PostgreSQL server: tag names, the
 * tag filter, lead search, inbound de-duplication by email and users' emails.
 */
describe('case-insensitive matching of non-ASCII text', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('unicode')).key(['*'], { rateLimit: 100_000 });
  });
  afterAll(() => t.close());

  it('École and école are one tag: the second is taken, and lead tags reuse the first', async () => {
    expect((await t.post('/api/v1/tags', { name: 'École' }, { key })).status).toBe(201);
    const taken = await t.post('/api/v1/tags', { name: 'école' }, { key });
    expect([409, 422]).toContain(taken.status); // taken (its status is the error table's business)
    expect(taken.body.errors).toHaveProperty('name');

    const lead = await t.post('/api/v1/leads', { first_name: 'Zoë', tags: ['ÉCOLE', 'straße'] }, { key });
    expect(lead.status).toBe(201);
    expect(lead.body.data.tags).toEqual(['straße', 'École']);
    const added = await t.post(`/api/v1/leads/${lead.body.data.id}/tags`, { tag: 'STRAẞE' }, { key });
    expect(added.status).toBe(200);
    expect(added.body.data.tags).toEqual(['straße', 'École']); // ẞ lower-cases to ß: the tag it has
    const tagged = await t.post(`/api/v1/leads/${lead.body.data.id}/tags`, { tag: 'Ölwerk' }, { key });
    expect(
      (await t.post(`/api/v1/leads/${lead.body.data.id}/tags`, { tag: 'ÖLWERK' }, { key })).body.data.tags,
    ).toEqual(tagged.body.data.tags);
    const tags = await t.get('/api/v1/tags?search=éCOL', { key });
    expect(tags.body.data.map((x: { name: string }) => x.name)).toEqual(['École']);
  });

  it('the tag filter and the search match whatever the case', async () => {
    const byTag = await t.get(`/api/v1/leads?tag=${encodeURIComponent('école')}`, { key });
    expect(byTag.status).toBe(200);
    expect(byTag.body.data.map((l: { first_name: string }) => l.first_name)).toEqual(['Zoë']);
    const bySearch = await t.get(`/api/v1/leads?search=${encodeURIComponent('ZOË')}`, { key });
    expect(bySearch.body.data.map((l: { first_name: string }) => l.first_name)).toEqual(['Zoë']);
  });

  it('inbound: üser@ and ÜSER@ are one lead', async () => {
    const url = '/api/inbound/leads?tenant=unicode';
    const first = await t.post(url, { email: 'üser@example.com', first_name: 'Ü' }, { key });
    expect(first.status).toBe(201);
    const again = await t.post(url, { email: 'ÜSER@example.com', company: 'Ölwerk' }, { key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      status: 'duplicate',
      lead_id: first.body.lead_id,
      is_duplicate: true,
    });
    const found = await t.get(`/api/v1/leads?search=${encodeURIComponent('ÜSER@')}`, { key });
    expect(found.body.data.map((l: { id: number }) => l.id)).toEqual([first.body.lead_id]);
  });

  it("users' emails: ÉVA@ is taken once éva@ exists", async () => {
    expect((await t.post('/api/v1/users', { name: 'Éva', email: 'éva@example.com' }, { key })).status).toBe(
      201,
    );
    const taken = await t.post('/api/v1/users', { name: 'Eva 2', email: 'ÉVA@example.com' }, { key });
    expect([409, 422]).toContain(taken.status); // taken (its status is the error table's business)
    expect(taken.body.errors).toHaveProperty('email');
  });
});
