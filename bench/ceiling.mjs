// The ceiling: a bare node:http server with a pg pool (same size as the app's) and no framework, auth,
// validation, throttling or mapping, running the SAME SQL as the app:
// - GET /api/v1/leads: the list SQL, built by the app's own buildListQuery;
// - GET /api/v1/leads/:id: the app's single-lead SELECT (LeadsRepository.findInWorkspace);
// - POST /api/v1/leads: LeadsService.create's transaction (insertWithTags: the lead and its tags in one
//   statement, then the outbox INSERT of lead.created + tag.added);
// - POST /api/inbound/leads: LeadIntakeService.intake's de-duplicating transaction (advisory locks on the
//   e-mail/phone keys, then insertWithTags with the locked duplicate lookup in the same statement, outbox
//   INSERT), with a duplicate merged the way the app does it (fill empty fields, add tags, lead.updated).
// The statements are the app's own: its built repositories (dist/) run over a plain pg client, so the ceiling
// cannot drift from the server's SQL; only the services' control flow is re-stated here (keep it in step with
// src/leads/leads.service.ts create and src/leads/lead-intake.service.ts). Same durability: the server's
// default synchronous_commit (on). Run as a forked child by bench/run.mjs.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { buildListQuery } = require('../dist/src/leads/lead-search.query.js');
const { createdEvents, updatedEvents } = require('../dist/src/leads/lead-events.js');
const { LeadsRepository } = require('../dist/src/leads/leads.repository.js');
const { LeadTagsRepository } = require('../dist/src/leads/lead-tags.repository.js');
const { DomainEventsRepository } = require('../dist/src/events/domain-events.repository.js');
const { MIN_PHONE_DIGITS_FOR_MATCH } = require('../dist/src/leads/lead-intake.service.js');
const { CUSTOM_FIELDS_MAX_KEYS, phoneDigits } = require('../dist/src/leads/dto/lead-fields.js');
const { DATABASE_URL, WORKSPACE_ID, PORT } = process.env;
const WS = Number(WORKSPACE_ID);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });

const FILLABLE = ['first_name', 'last_name', 'email', 'phone', 'company', 'source', 'notes'];
const WRITABLE = [...FILLABLE, 'status', 'lead_score', 'starred', 'custom_fields'];

const byName = (a, b) => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

/**
 * The app's repositories (dist/) over one pg client: `tx` is what TypeORM's EntityManager.query gives them
 * (rows; [rows, rowCount] for UPDATE and DELETE), so every statement text is the app's own.
 */
function repositoriesOn(db) {
  const tx = {
    async query(sql, params) {
      const r = await db.query(sql, params);
      return r.command === 'UPDATE' || r.command === 'DELETE' ? [r.rows, r.rowCount] : r.rows;
    },
  };
  const host = { tx, isTransactionActive: () => true };
  return {
    leads: new LeadsRepository(host),
    tags: new LeadTagsRepository(host),
    outbox: new DomainEventsRepository(host),
  };
}

/** EventsService.record without a causal chain (changes made through the API). */
const recordEvents = (repos, events) =>
  events.length
    ? repos.outbox.insert(
        events.map((e) => ({
          workspaceId: e.workspaceId,
          type: e.type,
          leadId: e.leadId,
          payload: { workspace_id: e.workspaceId, lead_id: e.leadId, changes: e.changes },
        })),
      )
    : [];

/** LeadsService.linkMissingTags: after insertWithTags left tags created concurrently unlinked. */
async function linkMissingTags(repos, leadId, names, added) {
  const more = await repos.tags.add(leadId, await repos.tags.ensureTags(WS, names));
  return [...added, ...more.filter((t) => !added.some((a) => a.id === t.id))];
}

async function transaction(fn) {
  const db = await pool.connect();
  try {
    await db.query('START TRANSACTION');
    const out = await fn(repositoriesOn(db));
    await db.query('COMMIT');
    return out;
  } catch (err) {
    await db.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    db.release();
  }
}

/** LeadsService.create (POST /api/v1/leads): BEGIN, insertWithTags, the events, COMMIT. */
const create = (body) =>
  transaction(async (repos) => {
    const values = {};
    for (const f of WRITABLE) if (body[f] !== undefined) values[f] = body[f];
    const done = await repos.leads.insertWithTags(WS, values, body.tags ?? []);
    let { lead, added } = done;
    if (done.tagsMissing) {
      added = await linkMissingTags(repos, lead.id, body.tags ?? [], added);
      lead = await repos.leads.findInWorkspace(WS, lead.id);
    }
    await recordEvents(repos, createdEvents(lead, added));
    return lead;
  });

/** LeadIntakeService.merge: fills only empty fields, adds tags and missing custom_fields keys. */
async function merge(repos, lead, body) {
  const changes = {};
  for (const f of FILLABLE)
    if ((lead[f] === null || lead[f] === '') && body[f] != null && body[f] !== '')
      changes[f] = { from: lead[f], to: body[f] };
  const missing = Object.entries(body.custom_fields ?? {}).filter(
    ([k]) => !Object.hasOwn(lead.custom_fields, k),
  );
  const room = Math.max(0, CUSTOM_FIELDS_MAX_KEYS - Object.keys(lead.custom_fields).length);
  if (missing.length && room)
    changes.custom_fields = {
      from: lead.custom_fields,
      to: { ...lead.custom_fields, ...Object.fromEntries(missing.slice(0, room)) },
    };
  const values = Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.to]));
  const added = body.tags?.length ? await repos.tags.ensureAndAdd(WS, lead.id, body.tags) : [];
  if (added.length)
    changes.tags = { from: lead.tags, to: [...lead.tags, ...added.map((t) => t.name)].sort(byName) };
  if (!Object.keys(changes).length) return lead.id;
  await repos.leads.update(WS, lead.id, values);
  await recordEvents(repos, updatedEvents(lead, changes, added));
  return lead.id;
}

/**
 * LeadIntakeService.intake (POST /api/inbound/leads) for a body naming no pipeline/stage/user: BEGIN, the
 * advisory locks, insertWithTags unless a duplicate (found and locked in the same statement), the events,
 * COMMIT; a duplicate is merged instead.
 */
const intake = (body) =>
  transaction(async (repos) => {
    const email = body.email?.trim() || null;
    const digits = phoneDigits(body.phone);
    const phoneKey = digits && digits.length >= MIN_PHONE_DIGITS_FOR_MATCH ? digits : null;
    await repos.leads.lockIntakeKeys(WS, email, phoneKey);
    const values = { first_name: body.first_name?.trim() || email?.split('@')[0] || 'Unknown' };
    for (const f of FILLABLE) if (f !== 'first_name' && body[f] != null) values[f] = body[f];
    if (email) values.email = email;
    for (const f of ['status', 'lead_score', 'starred', 'custom_fields'])
      if (body[f] !== undefined) values[f] = body[f];
    const tags = body.tags ?? [];
    const done = await repos.leads.insertWithTags(WS, values, tags, { email, phoneKey });
    if (done.duplicate) {
      const id = await merge(repos, done.duplicate, { ...body, email });
      return { status: 'duplicate', lead_id: id, is_duplicate: true };
    }
    const { lead } = done;
    const added = done.tagsMissing ? await linkMissingTags(repos, lead.id, tags, done.added) : done.added;
    await recordEvents(repos, createdEvents({ ...lead, tags: added.map((t) => t.name).sort(byName) }, added));
    return { status: 'created', lead_id: lead.id, is_duplicate: false };
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
      const lead = await repositoriesOn(pool).leads.findInWorkspace(WS, Number(show[1]));
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
