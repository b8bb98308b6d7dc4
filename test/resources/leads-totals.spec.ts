import { WALK_FROM_TOTAL, WALKED_LEADS } from '../../src/leads/lead-search.query';
import { TestApp } from '../support/test-app';

/** Filtered totals kept between requests (lead_list_totals) and the search page's two paths (walk, trigram index). */
describe('leads: exact totals and search pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('filtered and search totals stay exact through concurrent creates, updates, deletes and inbound', async () => {
    const w = await t.workspace('leads-totals');
    const k = await w.key(['*']);
    const lists = [
      'status=new',
      'status=lost&source=web',
      'search=zim',
      'search=zi',
      'starred=true&search=a',
    ];
    const real = async (qs: string) => {
      const p = new URLSearchParams(qs);
      const rows = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM leads
          WHERE workspace_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR source = $3)
            AND ($4::boolean IS NULL OR starred = $4)
            AND ($5::text IS NULL OR lower(first_name || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, ''))
                 LIKE '%' || $5 || '%')`,
        [w.id, p.get('status'), p.get('source'), p.has('starred') ? true : null, p.get('search')],
      );
      return rows[0].n;
    };
    // The lists at once (nothing writes while a check runs).
    const check = async () => {
      const seen = await Promise.all(
        lists.map(async (qs) => {
          const [res, total] = await Promise.all([
            t.get(`/api/v1/leads?per_page=2&${qs}`, { key: k }),
            real(qs),
          ]);
          return { qs, res, total };
        }),
      );
      for (const { qs, res, total } of seen)
        expect({ qs, status: res.status, total: res.body.meta?.total }).toEqual({ qs, status: 200, total });
    };
    await check(); // every total kept at version 0
    await check(); // read back from lead_list_totals
    const lead = (i: number) => ({
      first_name: i % 2 ? 'Zimmer' : 'Adam',
      last_name: `L${i}`,
      source: i % 3 ? 'web' : 'ads',
      starred: i % 4 === 0,
    });
    for (let round = 0; round < 3; round++) {
      const made = await Promise.all([
        ...[...Array(10)].map((_, i) => t.post('/api/v1/leads', lead(round * 10 + i), { key: k })),
        ...lists.map((qs) => t.get(`/api/v1/leads?${qs}`, { key: k })), // totals kept while writes commit
      ]);
      const ids = made.filter((r) => r.status === 201).map((r) => r.body.data.id as number);
      expect(ids).toHaveLength(10);
      await check();
      await Promise.all([
        t.delete(`/api/v1/leads/${ids[0]}`, { key: k }),
        t.patch(`/api/v1/leads/${ids[1]}`, { status: 'lost' }, { key: k }),
        t.patch(`/api/v1/leads/${ids[2]}`, { first_name: 'Zita', starred: true }, { key: k }),
        t.post(
          '/api/inbound/leads?tenant=leads-totals',
          { email: `zimzi${round}@example.com`, first_name: 'In' },
          { key: k },
        ),
        ...lists.map((qs) => t.get(`/api/v1/leads?${qs}`, { key: k })),
      ]);
      await check();
      // Updates alone (no create or delete in between) change which leads match.
      await t.patch(`/api/v1/leads/${ids[3]}`, { status: 'lost', source: 'web' }, { key: k });
      await check();
      await t.patch(`/api/v1/leads/${ids[4]}`, { first_name: 'Zim', starred: true }, { key: k });
      await check();
    }
    await t.sql('DELETE FROM leads WHERE workspace_id = $1 AND status = $2', [w.id, 'new']);
    await check();
  });

  it('a search page is the same whether found by walking the sort or through the trigram index', async () => {
    const w = await t.workspace('leads-walk');
    const k = await w.key(['*']);
    // The oldest 600 leads are "Quokka" (a term many leads match, but none among the newest WALKED_LEADS), the
    // newest ones alternate "Wombat" / "Other" (a term the walk finds at once).
    const n = WALKED_LEADS + 1200;
    expect(600).toBeGreaterThanOrEqual(WALK_FROM_TOTAL);
    await t.sql(
      `INSERT INTO leads (workspace_id, first_name, email, lead_score, created_at)
       SELECT $1, CASE WHEN i <= 600 THEN 'Quokka' WHEN i % 2 = 0 THEN 'Wombat' ELSE 'Other' END,
              'x' || i || '@ex.test', i % 7, timestamptz '2025-01-01' + i * interval '1 minute'
         FROM generate_series(1, $2::int) i`,
      [w.id, n],
    );
    await t.sql('ANALYZE leads');
    const expected = async (term: string, order: string, page: number, perPage: number) =>
      (
        await t.sql<{ id: number }>(
          `SELECT id FROM leads WHERE workspace_id = $1 AND lower(first_name || ' ' || email) LIKE '%' || $2 || '%'
            ORDER BY ${order} LIMIT $3 OFFSET $4`,
          [w.id, term, perPage, (page - 1) * perPage],
        )
      ).map((r) => r.id);
    const total = async (term: string) =>
      (
        await t.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1 AND lower(first_name || ' ' || email) LIKE '%' || $2 || '%'`,
          [w.id, term],
        )
      )[0].n;
    const cases: [string, string, string, number, number][] = [
      ['quokka', '', 'created_at DESC, id DESC', 1, 15], // the walk finds none: the index path
      ['quokka', 'sort=created_at&direction=asc&', 'created_at ASC, id ASC', 2, 10], // walk at the right end
      ['wombat', '', 'created_at DESC, id DESC', 1, 15], // the walk finds the page
      ['wombat', '', 'created_at DESC, id DESC', 60, 100], // the page ends beyond the walk: the index path
      ['wombat', 'sort=lead_score&', 'lead_score DESC, id DESC', 3, 7],
      ['o', '', 'created_at DESC, id DESC', 2, 50], // a short term: no trigram
      ['qu', 'sort=lead_score&direction=asc&', 'lead_score ASC, id ASC', 4, 20],
    ];
    for (const [term, sort, order, page, perPage] of cases) {
      const res = await t.get(`/api/v1/leads?${sort}search=${term}&page=${page}&per_page=${perPage}`, {
        key: k,
      });
      expect({
        term,
        sort,
        page,
        status: res.status,
        ids: (res.body.data ?? []).map((l: { id: number }) => l.id),
        total: res.body.meta?.total,
      }).toEqual({
        term,
        sort,
        page,
        status: 200,
        ids: await expected(term, order, page, perPage),
        total: await total(term),
      });
    }
    await t.sql('DELETE FROM leads WHERE workspace_id = $1', [w.id]);
  });

  it('a write makes the kept totals stale, and the next count removes them (the table does not grow)', async () => {
    const w = await t.workspace('leads-totals-prune');
    const k = await w.key(['*']);
    const kept = async () =>
      (
        await t.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM lead_list_totals WHERE workspace_id = $1',
          [w.id],
        )
      )[0].n;
    for (const status of ['new', 'contacted', 'lost'])
      expect((await t.get(`/api/v1/leads?status=${status}`, { key: k })).status).toBe(200);
    expect(await kept()).toBe(3);
    expect((await t.post('/api/v1/leads', { first_name: 'Ada' }, { key: k })).status).toBe(201);
    const res = await t.get('/api/v1/leads?status=new', { key: k });
    expect(res.body.meta.total).toBe(1);
    expect(await kept()).toBe(1); // the new total only
  });
});
