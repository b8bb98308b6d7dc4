// The ceiling: a bare node:http server with a pg pool (same size as the app's) running the SAME list SQL as
// GET /api/v1/leads (built by the app's own buildListQuery), with no framework, auth, validation or mapping.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { buildListQuery } = require('../dist/src/leads/leads.query.js');
const { DATABASE_URL, WORKSPACE_ID, PORT } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });

const server = createServer(async (req, res) => {
  try {
    const u = new URL(req.url, 'http://127.0.0.1');
    const q = {
      page: 1,
      per_page: 15,
      sort: 'created_at',
      direction: 'desc',
      ...Object.fromEntries(u.searchParams),
    };
    q.page = Number(q.page);
    q.per_page = Number(q.per_page);
    const { sql, params } = buildListQuery(Number(WORKSPACE_ID), q);
    const { rows } = await pool.query(sql, params);
    const total = rows[0]?.total ?? 0;
    const data = rows.filter((r) => r.id !== null);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data, meta: { total, per_page: q.per_page, current_page: q.page } }));
  } catch (err) {
    res.writeHead(500);
    res.end(String(err));
  }
});
server.listen(Number(PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
