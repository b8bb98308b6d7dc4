import { TestApp } from '../support/test-app';

/**
 * Totals of `search` with a term of 1–2 characters come from lead_search_fragments (kept by triggers, migration
 * LeadSearchFragments): they must equal a plain count after every kind of write.
 */
describe('leads: totals of short search terms', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('1- and 2-character terms count exactly through concurrent creates, updates, deletes and inbound', async () => {
    const w = await t.workspace('leads-short');
    const k = await w.key(['*']);
    const terms = [
      'a',
      'z',
      'é',
      'É',
      '1',
      '5',
      '@',
      '.',
      '_',
      '%',
      '\\',
      '-',
      '+',
      'zi',
      'ZI',
      'ém',
      'é@',
      '@e',
      '.c',
      '_x',
      '%z',
      '50',
      '15',
      'r ',
      ' m',
      'x',
      'q',
    ];
    // The plain counts of every term in one statement, and the API's totals concurrently: a check is two round
    // trips' time rather than 54 (nothing writes while it runs).
    const real = async () =>
      (
        await t.sql<{ n: number }>(
          `SELECT (SELECT count(*)::int FROM leads
                    WHERE workspace_id = $1
                      AND strpos(lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '')
                          || ' ' || coalesce(phone, '') || ' ' || coalesce(phone_digits, '')), lower(btrim(term))) > 0) AS n
             FROM unnest($2::text[]) WITH ORDINALITY AS u(term, i)
            ORDER BY i`,
          [w.id, terms],
        )
      ).map((r) => r.n);
    const totals = () =>
      Promise.all(
        terms.map((term) => t.get(`/api/v1/leads?per_page=3&search=${encodeURIComponent(term)}`, { key: k })),
      );
    const check = async (when: string) => {
      const [expected, responses] = await Promise.all([real(), totals()]);
      terms.forEach((term, i) => {
        const res = responses[i];
        expect({ when, term, status: res.status, total: res.body.meta?.total }).toEqual({
          when,
          term,
          status: 200,
          total: expected[i],
        });
        expect(res.body.data.length).toBe(Math.min(3, expected[i]));
      });
    };
    await check('empty');
    const lead = (i: number) => ({
      first_name: ['Zimmer', 'Émile', 'adam', 'Q_x'][i % 4],
      last_name: i % 3 ? `Rém${i}` : undefined,
      email: i % 2 ? `z${i}%zi@exémple.co` : `a_x.${i}@b-c.io`,
      phone: i % 5 ? `+1 (415) 555-01${i}` : undefined,
    });
    for (let round = 0; round < 3; round++) {
      const made = await Promise.all([
        ...[...Array(12)].map((_, i) => t.post('/api/v1/leads', lead(round * 12 + i), { key: k })),
        ...terms
          .slice(0, 6)
          .map((term) => t.get(`/api/v1/leads?search=${encodeURIComponent(term)}`, { key: k })),
      ]);
      const ids = made.filter((r) => r.status === 201).map((r) => r.body.data.id as number);
      expect(ids).toHaveLength(12);
      await check(`round ${round}: created`);
      await Promise.all([
        t.delete(`/api/v1/leads/${ids[0]}`, { key: k }),
        t.patch(`/api/v1/leads/${ids[1]}`, { status: 'lost', lead_score: 7 }, { key: k }), // text unchanged
        t.patch(`/api/v1/leads/${ids[2]}`, { first_name: 'Éva', email: `q${round}@x.y` }, { key: k }),
        t.patch(`/api/v1/leads/${ids[3]}`, { last_name: null, phone: '+44 20 5555' }, { key: k }),
        t.post(
          '/api/inbound/leads?tenant=leads-short',
          { email: `In_${round}@Exémple.com`, first_name: 'Zoë' },
          { key: k },
        ),
        t.post('/api/inbound/leads?tenant=leads-short', { email: `a_x.${round * 12}@b-c.io` }, { key: k }), // duplicate
        ...terms
          .slice(6, 12)
          .map((term) => t.get(`/api/v1/leads?search=${encodeURIComponent(term)}`, { key: k })),
      ]);
      await check(`round ${round}: changed`);
    }
    // Statements touching many leads at once, in both directions.
    await t.sql(`UPDATE leads SET first_name = upper(first_name) WHERE workspace_id = $1 AND id % 2 = 0`, [
      w.id,
    ]);
    await t.sql(`UPDATE leads SET status = 'lost' WHERE workspace_id = $1`, [w.id]);
    await check('bulk update');
    await t.sql(`DELETE FROM leads WHERE workspace_id = $1 AND id % 3 = 0`, [w.id]);
    await check('bulk delete');
    await t.sql(`DELETE FROM leads WHERE workspace_id = $1`, [w.id]);
    await check('all deleted');
    // Deletes subtract: every fragment of the workspace sums to 0.
    const left = await t.sql<{ fragment: string }>(
      `SELECT fragment FROM lead_search_fragments WHERE workspace_id = $1 GROUP BY fragment HAVING sum(n) <> 0`,
      [w.id],
    );
    expect(left).toEqual([]);
  });

  it('a short term with another filter is counted as before (not from the fragments)', async () => {
    const w = await t.workspace('leads-short-filtered');
    const k = await w.key(['*']);
    for (const [first_name, status] of [
      ['Ab', 'new'],
      ['Ab', 'lost'],
      ['Cd', 'lost'],
    ])
      expect((await t.post('/api/v1/leads', { first_name, status }, { key: k })).status).toBe(201);
    const total = async (qs: string) => (await t.get(`/api/v1/leads?${qs}`, { key: k })).body.meta.total;
    expect(await total('search=ab')).toBe(2);
    expect(await total('search=ab&status=lost')).toBe(1);
    expect(await total('search=b&starred=false')).toBe(2);
    expect(await total('search=%20d%20')).toBe(1); // trimmed
  });
});
