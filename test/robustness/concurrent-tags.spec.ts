import { TestApp } from '../support/test-app';

/** A copy of `names` in a random order (Fisher–Yates). */
function shuffled<T>(names: readonly T[]): T[] {
  const out = [...names];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * TAGS tags no workspace has yet, new for every round of 20 requests (a tag exists once its first writer
 * committed, so the race is among the first writers of a new tag): 200 requests are 10 rounds of races.
 */
const TAGS = 10;
function newTags(prefix: string, i: number): string[] {
  return Array.from({ length: TAGS }, (_, n) => `${prefix}-${Math.floor(i / 20)}-${n}`);
}
const spelling = (tag: string, i: number) => (i % 2 ? tag.toUpperCase() : tag);

describe('concurrent writes carrying the same new tags in different orders (deadlocks)', () => {
  let t: TestApp;
  let key: string;
  let slug: string;

  beforeAll(async () => {
    t = await TestApp.start();
    const ws = await t.workspace('tag-race');
    slug = ws.slug;
    key = await ws.key(['*'], { rateLimit: 100_000 });
    // A slow disk, simulated: every tag row takes 1 ms to insert, so concurrent inserts of the same new tags
    // overlap (and, in different orders, deadlock) every time instead of now and then.
    await t.sql(`CREATE FUNCTION slow_tag_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$`);
    await t.sql(`CREATE TRIGGER slow_tag_insert BEFORE INSERT ON tags
                 FOR EACH ROW EXECUTE FUNCTION slow_tag_insert()`);
  });
  afterAll(() => t.close());

  /**
   * 200 requests as 10 races of 20 at once (each race over its own new tags). The database takes 10 at a time
   * (the pool), so sending all 200 at once races no harder; it only queues requests behind the pool until
   * some give up waiting for a connection (503) on a loaded machine.
   */
  async function races<T>(send: (i: number) => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let round = 0; round < 10; round++)
      out.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => send(round * 20 + j)))));
    return out;
  }

  const statuses = (list: { status: number }[]) =>
    list.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

  it('200 POST /leads in races of 20: all 201, each tag created once', async () => {
    const results = await races((i) =>
      t.post(
        '/api/v1/leads',
        { first_name: `Racer ${i}`, tags: shuffled(newTags('api-race', i)).map((tag) => spelling(tag, i)) },
        { key },
      ),
    );
    expect(statuses(results)).toEqual({ 201: 200 });
    for (const r of results) expect(r.body.data.tags).toHaveLength(TAGS);
    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tags WHERE lower(name) LIKE 'api-race-%'`,
    );
    expect(rows[0].n).toBe(TAGS * 10);
  });

  it('200 inbound posts in races of 20: all 201/200, never 500', async () => {
    const results = await races((i) =>
      t.post(
        `/api/inbound/leads?tenant=${slug}`,
        // Every fourth one repeats an earlier email: duplicates merge tags into the existing lead.
        {
          email: `racer${i % 4 === 3 ? i - 1 : i}@example.com`,
          tags: shuffled(newTags('inbound-race', i)).map((tag) => spelling(tag, i)),
        },
        { key },
      ),
    );
    const counts = statuses(results);
    expect(Object.keys(counts).sort()).toEqual(['200', '201']);
    expect(counts[201]).toBe(150);
    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM tags WHERE lower(name) LIKE 'inbound-race-%'`,
    );
    expect(rows[0].n).toBe(TAGS * 10);
  });
});
