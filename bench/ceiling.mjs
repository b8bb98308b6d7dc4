// The ceiling: a bare node:http server with a pg pool (same size as the app's) and no framework, auth,
// validation, throttling or mapping, running the SAME SQL as the app:
// - GET /api/v1/leads: the list SQL, built by the app's own buildListQuery;
// - GET /api/v1/leads/:id: the app's single-lead SELECT;
// - POST /api/v1/leads: LeadsService.create's transaction, statement for statement (INSERT RETURNING, ensure
//   tags, replace the lead's tags, read it back, the outbox INSERT of lead.created + tag.added);
// - POST /api/inbound/leads: LeadIntakeService.intake's de-duplicating transaction (advisory locks on the
//   e-mail/phone keys, the locked duplicate lookup, INSERT RETURNING, ensure-and-add tags, outbox INSERT), with
//   a duplicate merged the way the app does it (fill empty fields, add tags, lead.updated).
// The statement texts are copied from src/leads/*.repository.ts and src/events/domain-events.repository.ts as
// of issue #17 (7–8 round trips per lead): the reference transaction the app is compared with. Same
// durability: the server's default synchronous_commit (on). Run as a forked child by bench/run.mjs.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { buildListQuery } = require('../dist/src/leads/lead-search.query.js');
const { createdEvents, updatedEvents } = require('../dist/src/leads/lead-events.js');
const { DATABASE_URL, WORKSPACE_ID, PORT } = process.env;
const WS = Number(WORKSPACE_ID);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });

const TAGS_OF = `ARRAY(SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id
          WHERE lt.lead_id = l.id ORDER BY lower(t.name), t.name) AS tags`;
const SELECT_LEAD = `SELECT l.*, ${TAGS_OF} FROM leads l WHERE l.id = $1 AND l.workspace_id = $2`;
const ENSURE_TAGS = `existing AS (
     SELECT id, name FROM tags
      WHERE workspace_id = $1 AND lower(name) IN (SELECT lower(n) FROM unnest($2::text[]) AS n)),
   ins AS (
     INSERT INTO tags (workspace_id, name)
     SELECT $1, n FROM unnest($2::text[]) WITH ORDINALITY AS x(n, i)
      WHERE lower(n) NOT IN (SELECT lower(name) FROM existing) ORDER BY i
     ON CONFLICT (workspace_id, lower(name)) DO NOTHING RETURNING id, name)`;
const FILLABLE = ['first_name', 'last_name', 'email', 'phone', 'company', 'source', 'notes'];
const WRITABLE = [...FILLABLE, 'status', 'lead_score', 'starred', 'custom_fields'];

const canonicalNames = (names) => {
  const seen = new Set();
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return names
    .filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()))
    .sort((a, b) => cmp(a.toLowerCase(), b.toLowerCase()) || cmp(a, b));
};
const digitsOf = (phone) => (phone ?? '').replace(/\D/g, '') || null;
const byName = (a, b) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

function columns(values) {
  const out = [];
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (field === 'custom_fields') out.push([field, JSON.stringify(value ?? {}), '::jsonb']);
    else out.push([field, value, '']);
    if (field === 'phone') out.push(['phone_digits', digitsOf(value), '']);
  }
  return out;
}

async function insertLead(db, values) {
  const cols = columns(values);
  const sql = `INSERT INTO leads (workspace_id, ${cols.map(([c]) => c).join(', ')})
                 VALUES ($1, ${cols.map(([, , cast], i) => `$${i + 2}${cast}`).join(', ')}) RETURNING *`;
  return (await db.query(sql, [WS, ...cols.map(([, v]) => v)])).rows[0];
}

async function recordEvents(db, events) {
  if (!events.length) return;
  const params = [];
  const values = events.map((e) => {
    params.push(
      e.workspaceId,
      e.type,
      e.leadId,
      JSON.stringify({ workspace_id: e.workspaceId, lead_id: e.leadId, changes: e.changes }),
    );
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  await db.query(
    `INSERT INTO domain_events (workspace_id, type, lead_id, payload) VALUES ${values.join(', ')}
       RETURNING id, created_at`,
    params,
  );
}

async function ensureAndAdd(db, leadId, names) {
  const wanted = canonicalNames(names);
  if (!wanted.length) return [];
  const { rows } = await db.query(
    `WITH ${ENSURE_TAGS},
       wanted AS (SELECT id, name FROM existing UNION ALL SELECT id, name FROM ins),
       link AS (
         INSERT INTO lead_tags (lead_id, tag_id) SELECT $3, id FROM wanted ORDER BY id
         ON CONFLICT DO NOTHING RETURNING tag_id)
       SELECT w.id, w.name, w.id IN (SELECT tag_id FROM link) AS added FROM wanted w`,
    [WS, wanted, leadId],
  );
  return rows.filter((r) => r.added).map(({ id, name }) => ({ id, name }));
}

async function transaction(fn) {
  const db = await pool.connect();
  try {
    await db.query('START TRANSACTION');
    const out = await fn(db);
    await db.query('COMMIT');
    return out;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    db.release();
  }
}

/** LeadsService.create (POST /api/v1/leads). */
const create = (body) =>
  transaction(async (db) => {
    const values = {};
    for (const f of WRITABLE) if (body[f] !== undefined) values[f] = body[f];
    const { id } = await insertLead(db, values);
    let added = [];
    if (body.tags) {
      const wanted = canonicalNames(body.tags);
      const tags = wanted.length
        ? (
            await db.query(
              `WITH ${ENSURE_TAGS}
       SELECT id, name FROM existing UNION ALL SELECT id, name FROM ins`,
              [WS, wanted],
            )
          ).rows
        : [];
      const ids = tags.map((t) => t.id);
      await db.query('DELETE FROM lead_tags WHERE lead_id = $1 AND NOT (tag_id = ANY($2::int[]))', [id, ids]);
      if (ids.length) {
        const { rows } = await db.query(
          `INSERT INTO lead_tags (lead_id, tag_id) SELECT $1, t FROM unnest($2::int[]) AS t ORDER BY t
       ON CONFLICT DO NOTHING RETURNING tag_id`,
          [id, ids],
        );
        const set = new Set(rows.map((r) => r.tag_id));
        added = tags.filter((t) => set.has(t.id));
      }
    }
    const lead = (await db.query(SELECT_LEAD, [id, WS])).rows[0];
    await recordEvents(db, createdEvents(lead, added));
    return lead;
  });

/** LeadIntakeService.intake (POST /api/inbound/leads). */
const intake = (body) =>
  transaction(async (db) => {
    const email = body.email?.trim() || null;
    const digits = digitsOf(body.phone);
    const phoneKey = digits && digits.length >= 7 ? digits : null;
    await db.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('lead-intake:' || $1::int || ':e:' || lower($2), 0)),
              pg_advisory_xact_lock(hashtextextended('lead-intake:' || $1::int || ':p:' || $3, 0))`,
      [WS, email, phoneKey],
    );
    const [existing] = (
      await db.query(
        `SELECT l.*, ${TAGS_OF} FROM leads l
        WHERE l.workspace_id = $1 AND (lower(l.email) = lower($2) OR l.phone_digits = $3)
        ORDER BY (lower(l.email) = lower($2)) IS TRUE DESC, l.id LIMIT 1 FOR UPDATE OF l`,
        [WS, email, phoneKey],
      )
    ).rows;
    if (existing) {
      const changes = {};
      for (const f of FILLABLE)
        if ((existing[f] === null || existing[f] === '') && body[f] != null && body[f] !== '')
          changes[f] = { from: existing[f], to: body[f] };
      const added = body.tags?.length ? await ensureAndAdd(db, existing.id, body.tags) : [];
      if (added.length)
        changes.tags = {
          from: existing.tags,
          to: [...existing.tags, ...added.map((t) => t.name)].sort(byName),
        };
      if (Object.keys(changes).length) {
        const cols = columns(
          Object.fromEntries(FILLABLE.filter((f) => changes[f]).map((f) => [f, changes[f].to])),
        );
        const sets = cols.map(([c, , cast], i) => `${c} = $${i + 3}${cast}`);
        await db.query(
          `UPDATE leads SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 AND workspace_id = $2`,
          [existing.id, WS, ...cols.map(([, v]) => v)],
        );
        await recordEvents(db, updatedEvents(existing, changes, added));
      }
      return { status: 'duplicate', lead_id: existing.id, is_duplicate: true };
    }
    const values = { first_name: body.first_name?.trim() || email?.split('@')[0] || 'Unknown' };
    for (const f of FILLABLE) if (f !== 'first_name' && body[f] != null) values[f] = body[f];
    if (email) values.email = email;
    for (const f of ['status', 'lead_score', 'starred', 'custom_fields'])
      if (body[f] !== undefined) values[f] = body[f];
    const row = await insertLead(db, values);
    const added = body.tags?.length ? await ensureAndAdd(db, row.id, body.tags) : [];
    await recordEvents(db, createdEvents({ ...row, tags: added.map((t) => t.name).sort(byName) }, added));
    return { status: 'created', lead_id: row.id, is_duplicate: false };
  });

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

const server = createServer(async (req, res) => {
  try {
    const u = new URL(req.url, 'http://127.0.0.1');
    let status = 200;
    let out;
    const show = /^\/api\/v1\/leads\/(\d+)$/.exec(u.pathname);
    if (req.method === 'POST' && u.pathname === '/api/v1/leads') {
      out = { data: await create(await readBody(req)) };
      status = 201;
    } else if (req.method === 'POST' && u.pathname === '/api/inbound/leads') {
      out = await intake(await readBody(req));
      status = out.is_duplicate ? 200 : 201;
    } else if (show) {
      const [lead] = (await pool.query(SELECT_LEAD, [Number(show[1]), WS])).rows;
      if (lead) out = { data: lead };
      else status = 404;
    } else {
      const q = {
        page: 1,
        per_page: 15,
        sort: 'created_at',
        direction: 'desc',
        ...Object.fromEntries(u.searchParams),
      };
      q.page = Number(q.page);
      q.per_page = Number(q.per_page);
      const { sql, params } = buildListQuery(WS, q);
      const { rows } = await pool.query(sql, params);
      const total = rows[0]?.total ?? 0;
      const data = rows.filter((r) => r.id !== null);
      out = { data, meta: { total, per_page: q.per_page, current_page: q.page } };
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(out === undefined ? '{}' : JSON.stringify(out));
  } catch (err) {
    res.writeHead(500);
    res.end(String(err));
  }
});
server.listen(Number(PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
