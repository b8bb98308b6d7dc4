import { seedPipeline, seedUser } from '../support/leads';
import { TestApp } from '../support/test-app';

type Lead = { id: number; first_name: string; [k: string]: unknown };

describe('leads: list, filters, sort, search', () => {
  let t: TestApp;
  let key: string;
  let ws: { id: number };
  let otherKey: string;
  let p1: { id: number; stages: number[] };
  let p2: { id: number; stages: number[] };
  let u1: number;
  let u2: number;
  const ids: Record<string, number> = {};

  const names = (res: { body: { data: Lead[] } }) => res.body.data.map((l) => l.first_name);
  const list = async (qs: string) => {
    const res = await t.get(`/api/v1/leads?per_page=100&${qs}`, { key });
    expect(res.status).toBe(200);
    return res;
  };
  const setOf = async (qs: string) => names(await list(qs)).sort();

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('leads-list');
    ws = w;
    key = await w.key(['*']);
    const o = await t.workspace('leads-list-other');
    otherKey = await o.key(['*']);
    p1 = await seedPipeline(t, ws.id, 'P1');
    p2 = await seedPipeline(t, ws.id, 'P2');
    u1 = await seedUser(t, ws.id, 'u1@example.com');
    u2 = await seedUser(t, ws.id, 'u2@example.com');
    const leads = [
      {
        first_name: 'Alice',
        last_name: 'Zimmer',
        email: 'alice@alpha.io',
        phone: '+1 (415) 555-0101',
        source: 'website',
        status: 'new',
        pipeline_id: p1.id,
        pipeline_stage_id: p1.stages[0],
        assigned_user_id: u1,
        tags: ['VIP', 'west'],
        lead_score: 50,
        starred: true,
      },
      {
        first_name: 'bob',
        last_name: 'Young',
        email: 'BOB@beta.io',
        phone: '020 7946 0958',
        source: 'facebook',
        status: 'contacted',
        pipeline_id: p1.id,
        pipeline_stage_id: p1.stages[1],
        assigned_user_id: u2,
        tags: ['vip'],
        lead_score: 10,
      },
      {
        first_name: 'Carol',
        last_name: null,
        email: 'carol@gamma.io',
        source: 'website',
        status: 'qualified',
        pipeline_id: p2.id,
        assigned_user_id: u1,
        tags: ['east'],
        lead_score: 30,
      },
      {
        first_name: 'dave',
        last_name: 'Xu',
        email: null,
        phone: '555 0199',
        source: null,
        status: 'lost',
        lead_score: 30,
        starred: true,
      },
      {
        first_name: 'Eve',
        last_name: 'Walker',
        email: 'eve@alpha.io',
        source: 'facebook',
        status: 'converted',
        lead_score: 99,
      },
      {
        first_name: 'Frank',
        last_name: 'Vance',
        email: 'frank_100%@delta.io',
        source: 'website',
        status: 'unqualified',
        lead_score: -5,
      },
    ];
    for (const body of leads) {
      const res = await t.post('/api/v1/leads', body, { key });
      expect(res.status).toBe(201);
      ids[body.first_name] = res.body.data.id;
    }
    // Spread creation dates over March 2026 (Alice on the 1st … Frank on the 6th, at 12:00 UTC).
    let day = 1;
    for (const n of ['Alice', 'bob', 'Carol', 'dave', 'Eve', 'Frank'])
      await t.sql(`UPDATE leads SET created_at = $2, updated_at = $3 WHERE id = $1`, [
        ids[n],
        `2026-03-0${day}T12:00:00Z`,
        `2026-04-0${7 - day++}T12:00:00Z`,
      ]);
    await t.post(
      '/api/v1/leads',
      { first_name: 'Alice', email: 'alice@alpha.io', tags: ['VIP'] },
      { key: otherKey },
    );
  });
  afterAll(() => t.close());

  it('lists only the workspace, newest first by default, with tags', async () => {
    const res = await t.get('/api/v1/leads', { key });
    expect(names(res)).toEqual(['Frank', 'Eve', 'dave', 'Carol', 'bob', 'Alice']);
    expect(res.body.meta.total).toBe(6);
    expect(res.body.data[5].tags).toEqual(['VIP', 'west']);
  });

  it.each([
    ['source=website', ['Alice', 'Carol', 'Frank']],
    ['source=Website', []],
    ['status=new', ['Alice']],
    ['status=lost', ['dave']],
    ['tag=vip', ['Alice', 'bob']],
    ['tag=VIP', ['Alice', 'bob']],
    ['tag=East', ['Carol']],
    ['tag=unknown', []],
    ['starred=true', ['Alice', 'dave']],
    ['starred=false', ['Carol', 'Eve', 'Frank', 'bob']],
    ['search=ALICE', ['Alice']],
    ['search=walk', ['Eve']],
    ['search=alpha.io', ['Alice', 'Eve']],
    ['search=bob%40BETA', ['bob']],
    ['search=7946', ['bob']],
    ['search=020%207946', ['bob']],
    ['search=415-555', ['Alice']],
    ['search=(415)%20555-0101', ['Alice']],
    ['search=4155550101', ['Alice']],
    ['search=555', ['Alice', 'dave']],
    ['search=_100%25', ['Frank']],
    ['search=%25', ['Frank']],
    ['search=alice%20zimmer', ['Alice']],
    ['search=nobody', []],
    ['created_after=2026-03-03', ['Carol', 'Eve', 'Frank', 'dave']],
    ['created_before=2026-03-02', ['Alice', 'bob']],
    ['created_after=2026-03-02&created_before=2026-03-04', ['Carol', 'bob', 'dave']],
    ['created_after=2026-03-02T12:00:00Z', ['Carol', 'Eve', 'Frank', 'bob', 'dave']],
    ['created_after=2026-03-02T12:00:01%2B00:00', ['Carol', 'Eve', 'Frank', 'dave']],
    ['created_before=2026-03-02T12:00:00Z', ['Alice', 'bob']],
    ['created_before=2026-03-02T11:59:59Z', ['Alice']],
    ['created_before=2026-03-02T13:00:00%2B01:00', ['Alice', 'bob']],
    ['created_before=2026-03-02T06:59:59-05:00', ['Alice']],
    ['source=website&status=qualified', ['Carol']],
    ['source=facebook&tag=vip&search=bob', ['bob']],
  ])('filters %s', async (qs, expected) => {
    expect(await setOf(qs)).toEqual([...expected].sort());
  });

  it('filters by pipeline_id, stage_id and assigned_user_id', async () => {
    expect(await setOf(`pipeline_id=${p1.id}`)).toEqual(['Alice', 'bob']);
    expect(await setOf(`pipeline_id=${p2.id}`)).toEqual(['Carol']);
    expect(await setOf(`stage_id=${p1.stages[1]}`)).toEqual(['bob']);
    expect(await setOf(`assigned_user_id=${u1}`)).toEqual(['Alice', 'Carol']);
    expect(await setOf(`assigned_user_id=${u2}&status=contacted`)).toEqual(['bob']);
    expect(await setOf('pipeline_id=999999')).toEqual([]);
  });

  it.each([
    ['created_at', 'asc', ['Alice', 'bob', 'Carol', 'dave', 'Eve', 'Frank']],
    ['created_at', 'desc', ['Frank', 'Eve', 'dave', 'Carol', 'bob', 'Alice']],
    ['updated_at', 'asc', ['Frank', 'Eve', 'dave', 'Carol', 'bob', 'Alice']],
    ['updated_at', 'desc', ['Alice', 'bob', 'Carol', 'dave', 'Eve', 'Frank']],
    ['first_name', 'asc', ['Alice', 'bob', 'Carol', 'dave', 'Eve', 'Frank']],
    ['first_name', 'desc', ['Frank', 'Eve', 'dave', 'Carol', 'bob', 'Alice']],
    ['last_name', 'asc', ['Frank', 'Eve', 'dave', 'bob', 'Alice', 'Carol']],
    ['last_name', 'desc', ['Carol', 'Alice', 'bob', 'dave', 'Eve', 'Frank']],
    ['email', 'asc', ['Alice', 'bob', 'Carol', 'Eve', 'Frank', 'dave']],
    ['email', 'desc', ['dave', 'Frank', 'Eve', 'Carol', 'bob', 'Alice']],
    // Carol and dave share a score of 30: the id breaks the tie in the same direction.
    ['lead_score', 'asc', ['Frank', 'bob', 'Carol', 'dave', 'Alice', 'Eve']],
    ['lead_score', 'desc', ['Eve', 'Alice', 'dave', 'Carol', 'bob', 'Frank']],
  ])('sorts by %s %s', async (sort, direction, expected) => {
    expect(names(await list(`sort=${sort}&direction=${direction}`))).toEqual(expected);
  });

  it('defaults to direction desc for any sort', async () => {
    expect(names(await list('sort=lead_score'))).toEqual(['Eve', 'Alice', 'dave', 'Carol', 'bob', 'Frank']);
  });

  it('pages a filtered, sorted list with links that keep the filters, without repeats or gaps', async () => {
    const seen: string[] = [];
    let url: string | null =
      '/api/v1/leads?per_page=2&sort=lead_score&direction=asc&source=website&search=io';
    let pages = 0;
    while (url) {
      const res = await t.get(url, { key });
      expect(res.status).toBe(200);
      expect(res.body.meta.total).toBe(3);
      for (const link of Object.values(res.body.links).filter(Boolean) as string[]) {
        const u = new URL(link);
        expect(u.searchParams.get('source')).toBe('website');
        expect(u.searchParams.get('search')).toBe('io');
        expect(u.searchParams.get('sort')).toBe('lead_score');
        expect(u.searchParams.get('per_page')).toBe('2');
      }
      seen.push(...names(res));
      url = res.body.links.next
        ? new URL(res.body.links.next).pathname + new URL(res.body.links.next).search
        : null;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(['Frank', 'Carol', 'Alice']);
  });

  it('pages through equal sort values without repeats or gaps', async () => {
    for (let i = 0; i < 7; i++)
      await t.post('/api/v1/leads', { first_name: 'Same', lead_score: 7, source: 'tie' }, { key });
    for (const direction of ['asc', 'desc']) {
      const seen: number[] = [];
      for (let page = 1; page <= 3; page++) {
        const res = await t.get(
          `/api/v1/leads?source=tie&sort=lead_score&direction=${direction}&per_page=3&page=${page}`,
          { key },
        );
        seen.push(...res.body.data.map((l: Lead) => l.id));
      }
      expect(new Set(seen).size).toBe(7);
    }
  });

  it('an empty page past the end still reports the total', async () => {
    const res = await t.get('/api/v1/leads?page=5&per_page=5', { key });
    expect(res.body.data).toEqual([]);
    expect(res.body.meta).toMatchObject({ total: 13, current_page: 5, last_page: 3, from: null, to: null });
  });

  it.each([
    ['status=won', 'status'],
    ['status=', 'status'],
    ['status=new&status=lost', 'status'],
    ['sort=name', 'sort'],
    ['sort=', 'sort'],
    ['direction=up', 'direction'],
    ['pipeline_id=abc', 'pipeline_id'],
    ['pipeline_id=0', 'pipeline_id'],
    ['stage_id=1.5', 'stage_id'],
    ['stage_id=-2', 'stage_id'],
    ['assigned_user_id=x', 'assigned_user_id'],
    ['assigned_user_id=99999999999', 'assigned_user_id'],
    ['starred=yes', 'starred'],
    ['starred=1', 'starred'],
    ['created_after=yesterday', 'created_after'],
    ['created_after=2026-02-30', 'created_after'],
    ['created_after=2026-03-01T25:00:00Z', 'created_after'],
    ['created_before=03/01/2026', 'created_before'],
    ['created_before=2026-W10', 'created_before'],
    [`search=${'x'.repeat(101)}`, 'search'],
    [`tag=${'x'.repeat(101)}`, 'tag'],
    ['search=a&search=b', 'search'],
    ['stauts=new', 'stauts'],
    ['stage=1', 'stage'],
  ])('422 for %s naming %s', async (qs, param) => {
    const res = await t.get(`/api/v1/leads?${qs}`, { key });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors)).toEqual([param]);
  });
});
