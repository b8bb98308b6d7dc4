import {
  createLeadHubClient,
  LeadHubApiError,
  type LeadHubClient,
  type LeadResponse,
} from '../../clients/typescript/src/index.js';
import { TestApp } from '../support/test-app';
import { apiError } from './api-error';

/** The TypeScript client (clients/typescript) against the real app on a live port. */
describe('TypeScript client: typed calls, pages, typed errors', () => {
  let t: TestApp;
  let client: LeadHubClient;
  let baseUrl: string;
  let key: string;
  /** Requests the client sent, to count pages. */
  const sent: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ prism: false });
    key = await (await t.workspace('ts-client')).key(['*']);
    baseUrl = `http://127.0.0.1:${await t.port()}`;
    client = createLeadHubClient({
      baseUrl,
      apiKey: key,
      fetch: (request) => {
        sent.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`);
        return fetch(request);
      },
    });
  });
  afterAll(() => t.close());

  it('creates, reads, lists, updates and deletes a lead', async () => {
    const created = await client.post('/api/v1/leads', {
      body: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', tags: ['vip'] },
    });
    const lead: LeadResponse = created.data;
    expect(lead).toMatchObject({ first_name: 'Ada', email: 'ada@example.com', status: 'new', tags: ['vip'] });

    const got = await client.get('/api/v1/leads/{id}', { params: { path: { id: lead.id } } });
    expect(got.data).toEqual(lead);

    const list = await client.get('/api/v1/leads', { params: { query: { search: 'lovelace' } } });
    expect(list.data.map((l) => l.id)).toEqual([lead.id]);
    expect(list.meta).toMatchObject({ total: 1, current_page: 1, last_page: 1 });

    const updated = await client.patch('/api/v1/leads/{id}', {
      params: { path: { id: lead.id } },
      body: { status: 'contacted', lead_score: 70 },
    });
    expect(updated.data).toMatchObject({ id: lead.id, status: 'contacted', lead_score: 70 });

    const deleted = await client.delete('/api/v1/leads/{id}', { params: { path: { id: lead.id } } });
    expect(deleted).toBeUndefined(); // 204
    const gone = await apiError(client.get('/api/v1/leads/{id}', { params: { path: { id: lead.id } } }));
    expect(gone.status).toBe(404);
  });

  it('manages tags and tags a lead', async () => {
    const tag = await client.post('/api/v1/tags', { body: { name: 'Hot', color: '#ff0000' } });
    expect(tag.data).toMatchObject({ name: 'Hot', color: '#ff0000' });
    const renamed = await client.put('/api/v1/tags/{id}', {
      params: { path: { id: tag.data.id } },
      body: { name: 'Very hot', color: '#ff0000' },
    });
    expect(renamed.data.name).toBe('Very hot');
    const lead = await client.post('/api/v1/leads', { body: { first_name: 'Tagged' } });
    const tagged = await client.post('/api/v1/leads/{id}/tags', {
      params: { path: { id: lead.data.id } },
      body: { tag: 'Very hot' },
    });
    expect(tagged.data.tags).toEqual(['Very hot']);
    const names = [];
    for await (const t of client.paginate('/api/v1/tags')) names.push(t.name);
    expect(names).toContain('Very hot');
  });

  it('iterates every record over several pages, and fetches no page it does not need', async () => {
    for (let i = 1; i <= 7; i++)
      await client.post('/api/v1/leads', { body: { first_name: `Paged ${i}`, source: 'paging-test' } });
    sent.length = 0;
    const names: string[] = [];
    const init = {
      params: { query: { source: 'paging-test', sort: 'first_name', direction: 'asc', per_page: 3 } },
    } as const;
    for await (const lead of client.paginate('/api/v1/leads', init)) names.push(lead.first_name);
    expect(names).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `Paged ${i}`));
    expect(sent.map((s) => new URLSearchParams(s.split('?')[1]).get('page'))).toEqual(['1', '2', '3']);

    const metas = [];
    for await (const page of client.pages('/api/v1/leads', init)) metas.push(page.meta);
    expect(metas.map((m) => [m.current_page, m.from, m.to, m.total])).toEqual([
      [1, 1, 3, 7],
      [2, 4, 6, 7],
      [3, 7, 7, 7],
    ]);

    sent.length = 0;
    for await (const lead of client.paginate('/api/v1/leads', init)) {
      expect(lead.first_name).toBe('Paged 1');
      break;
    }
    expect(sent).toHaveLength(1);

    const fromPage3 = [];
    for await (const lead of client.paginate('/api/v1/leads', {
      params: { query: { ...init.params.query, page: 3 } },
    }))
      fromPage3.push(lead.first_name);
    expect(fromPage3).toEqual(['Paged 7']);
  });

  it('an empty list yields nothing after one request', async () => {
    sent.length = 0;
    const all = [];
    for await (const lead of client.paginate('/api/v1/leads', { params: { query: { source: 'nobody' } } }))
      all.push(lead);
    expect(all).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('per_page=100'); // the maximum unless the caller asks otherwise
  });

  it('a 404 is a LeadHubApiError with the envelope and the request id', async () => {
    const err = await apiError(client.get('/api/v1/leads/{id}', { params: { path: { id: 999999 } } }));
    expect(err).toBeInstanceOf(LeadHubApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'LeadHubApiError', status: 404, code: 'NOT_FOUND', errors: {} });
    expect(err.message).toBe((err.body as { message: string }).message);
    expect(err.requestId).toMatch(/\S+/);
    expect(err.method).toBe('GET');
    expect(err.url).toBe(`${baseUrl}/api/v1/leads/999999`);
  });

  it('a 422 carries the field errors', async () => {
    const err = await apiError(
      client.post('/api/v1/leads', { body: { first_name: '', email: 'not-an-email' } }),
    );
    expect(err).toBeInstanceOf(LeadHubApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(err.errors).sort()).toEqual(['email', 'first_name']);
    expect(err.errors.email[0]).toMatch(/email/i);
    expect(err.requestId).toMatch(/\S+/);
  });

  it('a 401 for a wrong key, and a key the caller sets is kept', async () => {
    const wrong = createLeadHubClient({ baseUrl, apiKey: 'lh_wrong', retry: false });
    const err = await apiError(wrong.get('/api/v1/tags'));
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });

    const init = { body: { name: 'once' }, params: { header: { 'Idempotency-Key': 'my-own-key-1' } } };
    const first = await client.raw.POST('/api/v1/tags', init);
    const again = await client.raw.POST('/api/v1/tags', init);
    expect(first.response.status).toBe(201);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
  });
});
