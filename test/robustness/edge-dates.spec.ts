import { OPENAPI } from '../support/contract';
import { TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every list of the document with date filters (query parameters named *_after / *_before): path → names. */
const DATE_FILTERS: [string, string[]][] = Object.entries<Json>(OPENAPI.paths)
  .filter(([path, item]) => !path.includes('{') && item.get)
  .map(([path, item]): [string, string[]] => [
    path,
    (item.get.parameters ?? [])
      .filter((p: Json) => p.in === 'query' && /_(after|before)$/.test(p.name))
      .map((p: Json) => p.name as string),
  ])
  .filter(([, names]) => names.length > 0);

const OUT_OF_RANGE = [
  '0000-01-01',
  '0000-12-31T23:59:59Z',
  '+275760-09-13',
  '275760-09-13',
  '-000001-01-01',
  '10000-01-01',
  '2026-02-30',
  '2025-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-01-01T24:00',
  '2026-01-01T23:60',
  '2026-01-01T12:00:61Z',
  '2026-01-01T12:00+99:00',
  '2026-01-01T12:00:00.1234567Z',
  '1e10',
  '9999999999999',
  'now',
  '',
];
const AT_THE_EDGES = [
  '9999-12-31',
  '9999-12-31T23:59:59.999999Z',
  '9999-12-31T23:00:00-14:00',
  '0001-01-01',
  '0001-01-01T00:00:00+14:00',
];

/** Issue 11, item 12: out-of-range dates are a 422 or a correct result on every date filter — never a 500. */
describe('date filters at the edges of the calendar', () => {
  let t: TestApp;
  let key: string;
  const FILTERS = ['created_after', 'created_before', 'updated_after', 'updated_before'];

  const names = async (qs: string) => {
    const res = await t.get(`/api/v1/leads?per_page=100&${qs}`, { key });
    if (res.status !== 200) throw new Error(`${qs} → ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.data as { first_name: string }[]).map((l) => l.first_name).sort();
  };

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('dates')).key(['*']);
    for (const [name, created, updated] of [
      ['old', '2020-01-01T00:00:00Z', '2026-03-05T10:00:00Z'],
      ['new', '2026-03-02T12:00:00Z', '2026-03-02T12:00:00Z'],
    ]) {
      const res = await t.post('/api/v1/leads', { first_name: name }, { key });
      await t.sql('UPDATE leads SET created_at = $2, updated_at = $3 WHERE id = $1', [
        res.body.data.id,
        created,
        updated,
      ]);
    }
  });
  afterAll(() => t.close());

  // Valid dates at the ends of the range, some of whose instants fall outside it once an offset applies.
  it.each([
    ['9999-12-31', { after: [], before: ['new', 'old'] }],
    ['9999-12-31T23:59:59.999999Z', { after: [], before: ['new', 'old'] }],
    ['9999-12-31T23:00:00-14:00', { after: [], before: ['new', 'old'] }],
    ['0001-01-01', { after: ['new', 'old'], before: [] }],
    ['0001-01-01T00:00:00+14:00', { after: ['new', 'old'], before: [] }],
  ])('%s is a correct result on every date filter', async (value, expected) => {
    for (const f of FILTERS) {
      const side = f.endsWith('after') ? 'after' : 'before';
      expect(await names(`${f}=${encodeURIComponent(value)}`)).toEqual(expected[side]);
    }
  });

  it.each(OUT_OF_RANGE)('%s is a 422 naming the filter, on the leads list', async (value) => {
    for (const f of FILTERS) {
      const res = await t.get(`/api/v1/leads?${f}=${encodeURIComponent(value)}`, { key });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([f]);
    }
  });

  it('every list with date filters: out-of-range dates are 422, dates at the edges a 200', async () => {
    expect(DATE_FILTERS.map(([path]) => path)).toContain('/api/v1/leads');
    for (const [path, filters] of DATE_FILTERS)
      for (const f of filters) {
        for (const value of OUT_OF_RANGE) {
          const res = await t.get(`${path}?${f}=${encodeURIComponent(value)}`, { key });
          if (res.status !== 422) throw new Error(`${path}?${f}=${value} → ${res.status}`);
        }
        for (const value of AT_THE_EDGES) {
          const res = await t.get(`${path}?${f}=${encodeURIComponent(value)}`, { key });
          if (res.status !== 200) throw new Error(`${path}?${f}=${value} → ${res.status}`);
        }
      }
  });

  it('updated_after / updated_before find what changed (incremental sync)', async () => {
    expect(await names('updated_after=2026-03-03')).toEqual(['old']);
    expect(await names('created_after=2024-02-29')).toEqual(['new']); // a leap day is a day
    expect(await names('updated_before=2026-03-02T12:00:00Z')).toEqual(['new']);
    expect(await names('updated_after=2026-03-02T12:00:00.000001Z')).toEqual(['old']);
    expect(await names('created_before=2020-01-01&updated_after=2026-03-05T10:00:00%2B00:00')).toEqual([
      'old',
    ]);
  });
});
