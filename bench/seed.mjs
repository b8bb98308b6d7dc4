// Seeds the benchmark workspace: N leads (server-side multi-row INSERT … SELECT generate_series, in chunks),
// a few pipelines/users/tags, and an API key with a huge rate limit. Plain JS, run by bench/run.mjs.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const FIRST = [
  'Sarah',
  'James',
  'Maria',
  'David',
  'Emma',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'Lucas',
  'Mia',
  'Ethan',
  'Sofia',
  'Mason',
  'Chloe',
  'Logan',
  'Zoe',
  'Elijah',
  'Lily',
  'Aiden',
];
const LAST = [
  'Johnson',
  'Smith',
  'Garcia',
  'Brown',
  'Miller',
  'Davis',
  'Martinez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
];
const SOURCES = ['website', 'facebook', 'google_ads', 'zapier', 'referral'];
const STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost'];
const DOMAINS = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'acme.io',
  'globex.com',
  'initech.net',
  'umbrella.org',
  'hooli.dev',
];
const TAGS = [
  'hot-lead',
  'newsletter',
  'enterprise',
  'vip',
  'webinar',
  'trial',
  'partner',
  'cold',
  'follow-up',
  'event',
];

const arr = (xs) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** Index definitions of the lead-index migration, dropped during the bulk load and rebuilt after it. */
function leadIndexMigration() {
  const {
    LeadIndexes1764000200100,
  } = require('../dist/src/database/migrations/1764000200100-LeadIndexes.js');
  return new LeadIndexes1764000200100();
}

export async function seed(url, n, log) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET maintenance_work_mem = '256MB'`);
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
    for (let i = 1; i <= 5; i++)
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
    for (const t of TAGS)
      tagIds.push(
        (await c.query(`INSERT INTO tags (workspace_id, name) VALUES ($1, $2) RETURNING id`, [ws, t])).rows[0]
          .id,
      );

    const migration = leadIndexMigration();
    await migration.down({ query: (sql) => c.query(sql) });
    const started = Date.now();
    const chunk = 100_000;
    const stageArr = `ARRAY[${pipelines[0].stages.join(',')}]`;
    for (let from = 1; from <= n; from += chunk) {
      const to = Math.min(n, from + chunk - 1);
      await c.query(
        `INSERT INTO leads (workspace_id, first_name, last_name, email, phone, phone_digits, company, source, status,
                            pipeline_id, pipeline_stage_id, assigned_user_id, notes, custom_fields, lead_score, starred,
                            created_at, updated_at)
         SELECT $1, (${arr(FIRST)})[1 + i % ${FIRST.length}], (${arr(LAST)})[1 + (i / 7) % ${LAST.length}],
                lower((${arr(FIRST)})[1 + i % ${FIRST.length}]) || '.' || lower((${arr(LAST)})[1 + (i / 7) % ${LAST.length}])
                  || i || '@' || (${arr(DOMAINS)})[1 + i % ${DOMAINS.length}],
                '+1 555 ' || lpad((i % 10000000)::text, 7, '0'), '1555' || lpad((i % 10000000)::text, 7, '0'),
                'Company ' || (i % 5000), (${arr(SOURCES)})[1 + i % ${SOURCES.length}],
                (${arr(STATUSES)})[1 + (i / 3) % ${STATUSES.length}],
                CASE WHEN i % 3 = 0 THEN ${pipelines[0].id} END,
                CASE WHEN i % 3 = 0 THEN (${stageArr})[1 + i % 4] END,
                (ARRAY[${users.join(',')}])[1 + i % ${users.length}],
                CASE WHEN i % 10 = 0 THEN 'Asked for a demo' END,
                jsonb_build_object('utm_campaign', 'c' || (i % 20)),
                i % 101, i % 25 = 0,
                timestamptz '2024-01-01' + (i::float8 / $2) * interval '730 days',
                timestamptz '2024-01-01' + (i::float8 / $2) * interval '730 days' + (i % 1000) * interval '1 minute'
           FROM generate_series($3::int, $4::int) AS i`,
        [ws, n, from, to],
      );
      log(`  seeded ${to.toLocaleString('en-US')} leads`);
    }
    // One tag on every fifth lead.
    await c.query(
      `INSERT INTO lead_tags (lead_id, tag_id)
       SELECT id, (ARRAY[${tagIds.join(',')}])[1 + (id / 5) % ${tagIds.length}] FROM leads WHERE workspace_id = $1 AND id % 5 = 0`,
      [ws],
    );
    const loaded = Date.now();
    log('  building indexes…');
    await migration.up({ query: (sql) => c.query(sql) });
    const indexed = Date.now();
    await c.query('VACUUM ANALYZE leads');
    await c.query('VACUUM ANALYZE lead_tags');
    const [{ id: sampleId }] = (
      await c.query(`SELECT id FROM leads WHERE workspace_id = $1 ORDER BY id LIMIT 1`, [ws])
    ).rows;
    const [{ max }] = (await c.query(`SELECT max(id) FROM leads WHERE workspace_id = $1`, [ws])).rows;
    // A realistic search term: part of one lead's email (its last name and number), e.g. "johnson50000".
    const [{ local }] = (
      await c.query(
        `SELECT split_part(email, '@', 1) AS local FROM leads WHERE workspace_id = $1 AND id = $2`,
        [ws, Math.floor((sampleId + max) / 2)],
      )
    ).rows;
    return {
      searchTerm: local.split('.')[1],
      workspaceId: ws,
      key,
      minId: sampleId,
      maxId: max,
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
