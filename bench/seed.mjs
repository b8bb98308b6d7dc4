// Seeds the benchmark workspace in bulk, inside the database (never through the API): N leads made by
// INSERT … SELECT FROM generate_series in chunks on a few connections, with the lead indexes dropped during the
// load and rebuilt after it (two at a time), then VACUUM ANALYZE. Plain JS, run by bench/run.mjs.
//
// The rows look like real leads, because search and list plans depend on the data's shape: names drawn from a
// skewed distribution (one common last name, "Thompson", on ~5% of leads; a few dozen frequent names; a long
// tail of rarer ones), e-mails in a few formats on free-mail and company domains, phones on ~75%, companies on
// ~65%, skewed statuses and sources, 0–3 tags (skewed), custom_fields with a few optional keys. Pseudo-random
// but deterministic: every value is a hash of the row number.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);

/** [name, weight in % of leads]; the rest of the leads get a tail name (see TAIL). */
const LAST = [
  ['Thompson', 5],
  ['Smith', 2.5],
  ['Johnson', 2],
  ['Williams', 1.6],
  ['Brown', 1.4],
  ['Jones', 1.3],
  ['Garcia', 1.2],
  ['Miller', 1.1],
  ['Davis', 1],
  ['Rodriguez', 0.9],
  ['Martinez', 0.85],
  ['Hernandez', 0.8],
  ['Lopez', 0.75],
  ['Gonzalez', 0.7],
  ['Wilson', 0.65],
  ['Anderson', 0.6],
  ['Taylor', 0.5],
  ['Moore', 0.5],
  ['Jackson', 0.45],
  ['Martin', 0.45],
  ['Lee', 0.45],
  ['Perez', 0.4],
  ['White', 0.4],
  ['Harris', 0.4],
  ['Clark', 0.35],
  ['Lewis', 0.35],
  ['Robinson', 0.35],
  ['Walker', 0.3],
  ['Young', 0.3],
  ['Allen', 0.3],
  ['King', 0.3],
  ['Wright', 0.3],
  ['Scott', 0.3],
  ['Nguyen', 0.3],
  ['Hill', 0.25],
  ['Green', 0.25],
  ['Adams', 0.25],
  ['Baker', 0.25],
  ['Nelson', 0.25],
];
const FIRST = [
  ['James', 2.2],
  ['Mary', 1.8],
  ['John', 1.8],
  ['Maria', 1.6],
  ['David', 1.6],
  ['Sarah', 1.4],
  ['Michael', 1.4],
  ['Emma', 1.2],
  ['Robert', 1.2],
  ['Olivia', 1.1],
  ['Daniel', 1],
  ['Sofia', 1],
  ['Liam', 0.9],
  ['Anna', 0.9],
  ['Lucas', 0.8],
  ['Laura', 0.8],
  ['Noah', 0.7],
  ['Chloe', 0.7],
  ['Ethan', 0.6],
  ['Mia', 0.6],
  ['Carlos', 0.6],
  ['Fatima', 0.5],
  ['Wei', 0.5],
  ['Priya', 0.5],
  ['Ahmed', 0.5],
  ['Elena', 0.5],
];
/** Tail names: syllable combinations (about 9,000), skewed so some are far more common than others. */
const TAIL = {
  a: [
    'Kar',
    'Bel',
    'Dor',
    'Mal',
    'Ros',
    'Fen',
    'Har',
    'Lind',
    'Ost',
    'Pal',
    'Quin',
    'Sev',
    'Tor',
    'Vel',
    'Wal',
    'Zan',
    'Ber',
    'Cal',
    'Dun',
    'Gar',
    'Hol',
    'Jan',
    'Kel',
    'Mor',
    'Nor',
    'Ped',
    'Ren',
    'Sal',
    'Ter',
    'Ulm',
  ],
  b: ['a', 'e', 'i', 'o', 'an', 'en', 'in', 'ov', 'el', 'ar', 'is', 'us'],
  c: [
    'son',
    'berg',
    'ski',
    'ez',
    'ini',
    'ova',
    'sen',
    'ley',
    'man',
    'ford',
    'stad',
    'wick',
    'ton',
    'ard',
    'ault',
    'escu',
    'idis',
    'ak',
    'ic',
    'ow',
    'er',
    'ey',
    'ing',
    'ott',
    'as',
  ],
};
const FIRST_TAIL = {
  a: [
    'Al',
    'Be',
    'Ca',
    'Da',
    'El',
    'Fa',
    'Ga',
    'Ha',
    'Is',
    'Jo',
    'Ka',
    'Le',
    'Ma',
    'Na',
    'Ol',
    'Pa',
    'Ra',
    'Sa',
    'Ta',
    'Va',
  ],
  b: ['', 'r', 'l', 'n', 'm', 'v', 'd', 's'],
  c: ['a', 'en', 'ia', 'io', 'an', 'ie', 'o', 'us', 'ette', 'ina'],
};
const STATUSES = [
  ['new', 40],
  ['contacted', 20],
  ['qualified', 15],
  ['unqualified', 10],
  ['converted', 8],
  ['lost', 7],
];
const SOURCES = [
  ['website', 35],
  ['google_ads', 20],
  ['facebook', 15],
  ['referral', 10],
  ['zapier', 10],
  ['linkedin', 6],
  ['event', 4],
];
const FREE_MAIL = [
  ['gmail.com', 30],
  ['yahoo.com', 8],
  ['outlook.com', 8],
  ['hotmail.com', 5],
  ['icloud.com', 5],
  ['proton.me', 2],
];
const TAGS = [
  ['newsletter', 25],
  ['hot-lead', 12],
  ['follow-up', 10],
  ['webinar', 8],
  ['trial', 8],
  ['enterprise', 6],
  ['vip', 5],
  ['event', 5],
  ['partner', 4],
  ['cold', 4],
  ['demo-requested', 3],
  ['churn-risk', 2],
  ['pricing', 2],
  ['q4-campaign', 2],
  ['do-not-call', 1],
  ['reseller', 1],
  ['spanish', 1],
  ['german', 1],
];
const CAMPAIGNS = [
  'spring-sale',
  'black-friday',
  'webinar-2025',
  'brand',
  'retargeting',
  'launch',
  'newsletter',
  'partners',
];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'ES', 'CA', 'BR', 'IN', 'AU', 'NL', 'MX'];

const lit = (s) => `'${String(s).replace(/'/g, "''")}'`;
const textArr = (xs) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;
/** Thresholds for width_bucket: [0, w1, w1+w2, …, Σw] as fractions. */
const thresholds = (pairs) => {
  let s = 0;
  const t = [0];
  for (const [, w] of pairs) t.push((s += w) / 100);
  return `ARRAY[${t.map((x) => x.toFixed(6)).join(',')}]::float8[]`;
};
/** A weighted pick from `pairs` by r ∈ [0,1); `orElse` (SQL) when r falls past the listed weights. */
const pick = (pairs, r, orElse = 'NULL') =>
  `(CASE WHEN width_bucket(${r}, ${thresholds(pairs)}) <= ${pairs.length}
         THEN (${textArr(pairs.map(([n]) => n))})[width_bucket(${r}, ${thresholds(pairs)})] ELSE ${orElse} END)`;
const syllables = (t, r) => {
  const n = t.a.length * t.b.length * t.c.length;
  // r² skews the tail: some tail names are far more common than others.
  const k = `(floor(${r} * ${r} * ${n})::int)`;
  return `((${textArr(t.a)})[1 + ${k} % ${t.a.length}] || (${textArr(t.b)})[1 + (${k} / ${t.a.length}) % ${t.b.length}]
           || (${textArr(t.c)})[1 + (${k} / ${t.a.length * t.b.length}) % ${t.c.length}])`;
};

/** Index definitions of the lead-index migration, dropped during the bulk load and rebuilt after it. */
function leadIndexMigration() {
  const {
    LeadIndexes1764000200100,
  } = require('../dist/src/database/migrations/1764000200100-LeadIndexes.js');
  return new LeadIndexes1764000200100();
}

/** The rows of leads `from`..`to` (SQL; $1 workspace, $2 N, $3 from, $4 to). */
function leadsSelect({ pipelines, users }) {
  // r(k): a deterministic pseudo-random number in [0,1) per row and purpose k.
  const r = (k) => `((hashint4(i # ${k * 7919 + 104729}) & 2147483647)::float8 / 2147483648)`;
  const stages = pipelines.map((p) => `ARRAY[${p.stages.join(',')}]`);
  return `
    SELECT $1::int, fn, ln,
           CASE WHEN fmt < 0.45 THEN lower(fn) || '.' || lower(ln) || i
                WHEN fmt < 0.7 THEN left(lower(fn), 1) || lower(ln) || i
                WHEN fmt < 0.85 THEN lower(fn) || '_' || i
                ELSE lower(ln) || '.' || lower(fn) || i END
             || '@' || CASE WHEN dom IS NOT NULL THEN dom
                            WHEN co IS NOT NULL THEN lower(regexp_replace(co, '[^A-Za-z]', '', 'g')) || '.com'
                            ELSE 'mail.example.net' END,
           ph, CASE WHEN ph IS NOT NULL THEN regexp_replace(ph, '\\D', '', 'g') END,
           co, src, st,
           CASE WHEN pr < 0.3 THEN ${pipelines[0].id} WHEN pr < 0.4 THEN ${pipelines[1].id} END,
           CASE WHEN pr < 0.3 THEN (${stages[0]})[1 + (i % 4)] WHEN pr < 0.4 THEN (${stages[1]})[1 + (i % 4)] END,
           CASE WHEN ${r(20)} < 0.6 THEN (ARRAY[${users.join(',')}])[1 + (hashint4(i) & 1023) % ${users.length}] END,
           CASE WHEN ${r(21)} < 0.15 THEN (ARRAY['Asked for a demo', 'Call back next week', 'Budget approved for Q3',
                'Met at the trade show; interested in the enterprise plan', 'Wants pricing for 50 seats'])[1 + i % 5] END,
           jsonb_strip_nulls(jsonb_build_object(
             'utm_campaign', CASE WHEN ${r(22)} < 0.7 THEN (${textArr(CAMPAIGNS)})[1 + (hashint4(i # 77) & 1023) % ${CAMPAIGNS.length}] END,
             'utm_medium', CASE WHEN ${r(23)} < 0.5 THEN (ARRAY['cpc','email','social','organic'])[1 + i % 4] END,
             'budget', CASE WHEN ${r(24)} < 0.3 THEN (1000 * (1 + (hashint4(i # 99) & 1023) % 200)) END,
             'company_size', CASE WHEN co IS NOT NULL AND ${r(25)} < 0.4 THEN (ARRAY['1-10','11-50','51-200','201-1000','1000+'])[1 + i % 5] END,
             'country', CASE WHEN ${r(26)} < 0.5 THEN (${textArr(COUNTRIES)})[1 + (hashint4(i # 55) & 1023) % ${COUNTRIES.length}] END)),
           floor(${r(27)} * ${r(27)} * 101)::int, ${r(28)} < 0.04,
           ts, ts + floor(${r(29)} * ${r(29)} * 86400 * 60) * interval '1 second'
      FROM (SELECT i,
                   ${pick(FIRST, r(1), syllables(FIRST_TAIL, r(2)))} AS fn,
                   ${pick(LAST, r(3), syllables(TAIL, r(4)))} AS ln,
                   ${r(5)} AS fmt,
                   ${pick(FREE_MAIL, r(6))} AS dom,
                   CASE WHEN ${r(7)} < 0.65 THEN ${syllables(TAIL, r(8))} || ' ' ||
                        (ARRAY['Inc', 'LLC', 'Group', 'Ltd', 'GmbH', 'Labs', 'Partners', 'Systems'])[1 + (hashint4(i # 31) & 1023) % 8] END AS co,
                   CASE WHEN ${r(9)} < 0.75 THEN '+1 (' || (200 + (hashint4(i # 11) & 1023) % 800) || ') '
                        || lpad(((i / 10000) % 1000)::text, 3, '0') || '-' || lpad((i % 10000)::text, 4, '0') END AS ph,
                   ${pick(SOURCES, r(10), `'other'`)} AS src,
                   ${pick(STATUSES, r(11), `'new'`)} AS st,
                   ${r(12)} AS pr,
                   timestamptz '2024-01-01' + (i::float8 / $2) * interval '730 days' AS ts
              FROM generate_series($3::int, $4::int) AS i
            OFFSET 0) g`;
}

/** Up to `n` statements at a time, on that many connections. */
async function parallel(url, n, jobs, setup = []) {
  const clients = await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      for (const s of setup) await c.query(s);
      return c;
    }),
  );
  let next = 0;
  try {
    await Promise.all(
      clients.map(async (c) => {
        while (next < jobs.length) await jobs[next++](c);
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/**
 * `options.parallel`: connections used for the load and the index builds (default 2, the machine's cores);
 * `options.ginMemory`: maintenance_work_mem of the trigram index build (default: 512MB, as the b-trees).
 * Returns the workspace, its key, terms to search, the id range and the seconds each phase took.
 */
export async function seed(url, n, log, options = {}) {
  const conns = options.parallel ?? 2;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const [{ id: ws }] = (
      await c.query(`INSERT INTO workspaces (slug, name) VALUES ('bench', 'Benchmark') RETURNING id`)
    ).rows;
    const key = `lh_${randomBytes(30)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 40)
      .padEnd(40, 'x')}`;
    await c.query(
      `INSERT INTO api_keys (workspace_id, name, key_hash, prefix, scopes, rate_limit)
       VALUES ($1, 'bench', $2, $3, ARRAY['*'], 2000000000)`,
      [ws, createHash('sha256').update(key).digest('hex'), key.slice(0, 10)],
    );
    const pipelines = [];
    for (const name of ['Sales', 'Partners']) {
      const p = (
        await c.query(`INSERT INTO pipelines (workspace_id, name) VALUES ($1, $2) RETURNING id`, [ws, name])
      ).rows[0].id;
      const stages = [];
      for (let i = 1; i <= 4; i++)
        stages.push(
          (
            await c.query(
              `INSERT INTO pipeline_stages (workspace_id, pipeline_id, name, position) VALUES ($1, $2, $3, $4) RETURNING id`,
              [ws, p, `${name} ${i}`, i],
            )
          ).rows[0].id,
        );
      pipelines.push({ id: p, stages });
    }
    const users = [];
    for (let i = 1; i <= 8; i++)
      users.push(
        (
          await c.query(`INSERT INTO users (workspace_id, name, email) VALUES ($1, $2, $3) RETURNING id`, [
            ws,
            `Agent ${i}`,
            `agent${i}@bench.test`,
          ])
        ).rows[0].id,
      );
    const tagIds = [];
    for (const [t] of TAGS)
      tagIds.push(
        (await c.query(`INSERT INTO tags (workspace_id, name) VALUES ($1, $2) RETURNING id`, [ws, t])).rows[0]
          .id,
      );

    // The lead indexes go during the load (rebuilt after it, far cheaper than maintained row by row). The load
    // runs with session_replication_role = replica (a superuser setting): no per-row foreign-key checks (every
    // reference is one of the rows just made) and no lead_counts trigger (its count is written once, after).
    const statements = [];
    const migration = leadIndexMigration();
    await migration.up({ query: async (sql) => statements.push(sql) });
    await migration.down({ query: (sql) => c.query(sql) });
    const started = Date.now();
    const superuser = (await c.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`)).rows[0]
      .rolsuper;
    const setup = [
      `SET synchronous_commit = off`,
      ...(superuser ? [`SET session_replication_role = replica`] : []),
    ];
    const chunk = 250_000;
    const select = leadsSelect({ pipelines, users });
    const jobs = [];
    let done = 0;
    for (let from = 1; from <= n; from += chunk) {
      const to = Math.min(n, from + chunk - 1);
      jobs.push(async (db) => {
        await db.query(
          `INSERT INTO leads (workspace_id, first_name, last_name, email, phone, phone_digits, company, source, status,
                              pipeline_id, pipeline_stage_id, assigned_user_id, notes, custom_fields, lead_score, starred,
                              created_at, updated_at) ${select}`,
          [ws, n, from, to],
        );
        done += to - from + 1;
        log(`  seeded ${done.toLocaleString('en-US')} leads`);
      });
    }
    await parallel(url, conns, jobs, setup);
    if (superuser)
      await c.query(
        `INSERT INTO lead_counts (workspace_id, shard, n) SELECT $1, 0, count(*) FROM leads WHERE workspace_id = $1
         ON CONFLICT (workspace_id, shard) DO UPDATE SET n = lead_counts.n + EXCLUDED.n`,
        [ws],
      );
    // lead_search_fragments (migration LeadSearchFragments): its trigger was off too. Appended per id range in
    // parallel (the kept count is the sum of the rows).
    const fragments =
      superuser &&
      (await c.query(`SELECT to_regclass('public.lead_search_fragments') AS t`)).rows[0].t !== null;
    if (fragments) {
      log('  counting search fragments…');
      const [{ lo: flo, hi: fhi }] = (
        await c.query(`SELECT min(id) AS lo, max(id) AS hi FROM leads WHERE workspace_id = $1`, [ws])
      ).rows;
      const fragmentJobs = [];
      for (let from = Number(flo); from <= Number(fhi); from += chunk) {
        const to = Math.min(Number(fhi), from + chunk - 1);
        fragmentJobs.push((db) =>
          db.query(
            `INSERT INTO lead_search_fragments (workspace_id, fragment, n)
             SELECT l.workspace_id, f, count(*) FROM leads l,
                    lead_search_fragments_of(lower(coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '') || ' '
                      || coalesce(l.email, '') || ' ' || coalesce(l.phone, '') || ' ' || coalesce(l.phone_digits, ''))) f
              WHERE l.workspace_id = $1 AND l.id BETWEEN $2 AND $3
              GROUP BY l.workspace_id, f`,
            [ws, from, to],
          ),
        );
      }
      await parallel(url, conns, fragmentJobs, setup);
    }
    // Tags: ~50% of leads none, 30% one, 15% two, 5% three, skewed towards the first tags ("newsletter").
    const [{ lo, hi }] = (
      await c.query(`SELECT min(id) AS lo, max(id) AS hi FROM leads WHERE workspace_id = $1`, [ws])
    ).rows;
    const tagJobs = [];
    const tagChunk = 500_000;
    for (let from = Number(lo); from <= Number(hi); from += tagChunk) {
      const to = Math.min(Number(hi), from + tagChunk - 1);
      tagJobs.push((db) =>
        db.query(
          `INSERT INTO lead_tags (lead_id, tag_id, created_at)
           SELECT DISTINCT ON (id, t) id, t, created_at FROM (
             SELECT l.id, l.created_at,
                    (ARRAY[${tagIds.join(',')}]::int[])[width_bucket(
                      (hashint4(l.id * 4 + k) & 2147483647)::float8 / 2147483648, ${thresholds(
                        TAGS.map(([name, w]) => [name, (w * 100) / TAGS.reduce((a, [, x]) => a + x, 0)]),
                      )})] AS t
               FROM leads l,
                    generate_series(1, CASE WHEN (hashint4(l.id) & 1023) < 512 THEN 0
                                            WHEN (hashint4(l.id) & 1023) < 819 THEN 1
                                            WHEN (hashint4(l.id) & 1023) < 972 THEN 2 ELSE 3 END) AS k
              WHERE l.workspace_id = $1 AND l.id BETWEEN $2 AND $3) x
           WHERE t IS NOT NULL`,
          [ws, from, to],
        ),
      );
    }
    await parallel(url, conns, tagJobs, setup);
    const loaded = Date.now();
    log(`  rows in ${((loaded - started) / 1000).toFixed(1)} s; building ${statements.length} indexes…`);
    // The trigram index (the slowest) first, the b-trees alongside it.
    statements.sort((a, b) => Number(/gin/i.test(b)) - Number(/gin/i.test(a)));
    await parallel(
      url,
      conns,
      statements.map((sql) => async (db) => {
        const t = Date.now();
        if (/gin/i.test(sql) && options.ginMemory)
          await db.query(`SET maintenance_work_mem = '${options.ginMemory}'`);
        await db.query(sql);
        log(`    ${/INDEX "(\w+)"/.exec(sql)?.[1]}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }),
      [`SET maintenance_work_mem = '512MB'`],
    );
    const indexed = Date.now();
    log(`  indexes in ${((indexed - loaded) / 1000).toFixed(1)} s; VACUUM ANALYZE…`);
    await parallel(
      url,
      conns,
      ['leads', 'lead_tags', 'tags', 'lead_counts', ...(fragments ? ['lead_search_fragments'] : [])].map((t) => (db) => db.query(`VACUUM ANALYZE ${t}`)),
    );
    await c.query('CHECKPOINT'); // flush the load's dirty pages now, not during the measurements
    const sampleId = Math.floor((Number(lo) + Number(hi)) / 2);
    // A selective search term: one lead's whole e-mail local part (e.g. "sarah.kowalski501234").
    const [{ local }] = (
      await c.query(
        `SELECT split_part(email, '@', 1) AS local FROM leads WHERE workspace_id = $1 AND id >= $2 ORDER BY id LIMIT 1`,
        [ws, sampleId],
      )
    ).rows;
    const [{ share }] = (
      await c.query(
        `SELECT round(100.0 * count(*) FILTER (WHERE last_name = 'Thompson') / count(*), 1) AS share
           FROM leads WHERE workspace_id = $1`,
        [ws],
      )
    ).rows;
    return {
      searchTerm: local,
      commonTerm: 'thompson',
      commonShare: Number(share),
      workspaceId: ws,
      key,
      minId: Number(lo),
      maxId: Number(hi),
      seconds: {
        load: (loaded - started) / 1000,
        indexes: (indexed - loaded) / 1000,
        total: (Date.now() - started) / 1000,
      },
    };
  } finally {
    await c.end();
  }
}
