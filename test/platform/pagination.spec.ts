import { TestApp } from '../support/test-app';

describe('pagination', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('pages')).key(['*']);
    for (let i = 1; i <= 23; i++)
      expect(
        (await t.post('/api/v1/tags', { name: `tag-${String(i).padStart(2, '0')}` }, { key })).status,
      ).toBe(201);
  });
  afterAll(() => t.close());

  it('defaults to page 1 of 15 with meta and absolute links', async () => {
    const res = await t.get('/api/v1/tags', { key });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(15);
    expect(res.body.meta).toEqual({
      current_page: 1,
      last_page: 2,
      per_page: 15,
      total: 23,
      from: 1,
      to: 15,
    });
    expect(res.body.links.first).toMatch(/^http:\/\/[^/]+\/api\/v1\/tags\?page=1$/);
    expect(res.body.links.prev).toBeNull();
    expect(res.body.links.next).toMatch(/page=2$/);
  });

  it('keeps the other query parameters in every link', async () => {
    const res = await t.get('/api/v1/tags?per_page=5&page=2&sort=name&direction=asc', { key });
    expect(res.body.meta).toEqual({ current_page: 2, last_page: 5, per_page: 5, total: 23, from: 6, to: 10 });
    expect(res.body.data.map((x: { name: string }) => x.name)).toEqual([
      'tag-06',
      'tag-07',
      'tag-08',
      'tag-09',
      'tag-10',
    ]);
    for (const link of [
      res.body.links.first,
      res.body.links.last,
      res.body.links.prev,
      res.body.links.next,
      res.body.links.self,
    ]) {
      const u = new URL(link);
      expect(u.searchParams.get('per_page')).toBe('5');
      expect(u.searchParams.get('sort')).toBe('name');
      expect(u.searchParams.get('direction')).toBe('asc');
    }
    expect(new URL(res.body.links.last).searchParams.get('page')).toBe('5');
  });

  it('pages through everything without repeats or gaps', async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await t.get(`/api/v1/tags?per_page=10&page=${page}&sort=name`, { key });
      seen.push(...res.body.data.map((x: { id: number }) => x.id));
    }
    expect(new Set(seen).size).toBe(23);
  });

  it('an empty page has null from/to and last_page 1', async () => {
    const res = await t.get('/api/v1/tags?search=nothing-matches', { key });
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toEqual({
      current_page: 1,
      last_page: 1,
      per_page: 15,
      total: 0,
      from: null,
      to: null,
    });
  });

  it.each([
    'page=0',
    'page=-1',
    'page=abc',
    'page=1.5',
    'per_page=0',
    'per_page=101',
    'per_page=1e9',
    'per_page=',
    'page=2&page=3',
  ])('422 for %s', async (qs) => {
    const res = await t.get(`/api/v1/tags?${qs}`, { key });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors)).toEqual([qs.split('=')[0]]);
  });
});
