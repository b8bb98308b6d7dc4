// What the soak reads from PostgreSQL's statistics about its tables: where the database grew, and where the
// database's work per request grew (buffer pages touched per table, a proxy for its CPU: pg_stat_statements is not
// always loaded).
import pg from 'pg';

const mb = (bytes) => Math.round(bytes / 1024 / 1024);

async function query(url, sql) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

/** The ten largest tables with their live and dead rows: where a database that grew under the soak grew. */
export async function largestTables(url) {
  if (!url) return undefined;
  const rows = await query(
    url,
    `SELECT relname AS t, pg_total_relation_size(relid) AS bytes, n_live_tup AS live, n_dead_tup AS dead,
            autovacuum_count AS autovacuums, vacuum_count AS vacuums
       FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 10`,
  );
  return [
    // "vacuums": LeadHub's own (LEADHUB_VACUUM, where the server's autovacuum is off).
    '| table | MB (with indexes) | live rows | dead rows | autovacuums | vacuums |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.t} | ${mb(Number(r.bytes))} | ${r.live} | ${r.dead} | ${r.autovacuums} | ${r.vacuums} |`,
    ),
  ].join('\n');
}

/** Buffer pages touched so far (hit or read; heap, indexes and TOAST) per table. */
export async function pagesTouched(url) {
  if (!url) return undefined;
  const rows = await query(
    url,
    `SELECT relname AS t,
            coalesce(heap_blks_hit, 0) + coalesce(heap_blks_read, 0) + coalesce(idx_blks_hit, 0)
              + coalesce(idx_blks_read, 0) + coalesce(toast_blks_hit, 0) + coalesce(toast_blks_read, 0)
              + coalesce(tidx_blks_hit, 0) + coalesce(tidx_blks_read, 0) AS pages
       FROM pg_statio_user_tables`,
  );
  return new Map(rows.map((r) => [r.t, Number(r.pages)]));
}

/**
 * Pages touched per request per table in a few of the run's minutes (`perMinute`: [{ minute, requests, pages }],
 * pages as pagesTouched returned at the minute's end, the first entry being the start): the tables whose reads per
 * request grew are what made the database slower.
 */
export function pagesPerRequest(perMinute, minutes) {
  if (perMinute.length < 2) return undefined;
  const at = (m) => {
    const i = perMinute.findIndex((p) => p.minute === m);
    if (i < 1) return undefined;
    const [before, now] = [perMinute[i - 1].pages, perMinute[i].pages];
    return new Map([...now].map(([t, n]) => [t, (n - (before.get(t) ?? 0)) / perMinute[i].requests]));
  };
  const shown = minutes.filter((m) => at(m));
  const columns = shown.map(at);
  const last = columns[columns.length - 1];
  const tables = [...last.keys()].sort((a, b) => last.get(b) - last.get(a)).slice(0, 10);
  return [
    `| table | ${shown.map((m) => `minute ${m}`).join(' | ')} |`,
    `|---|${shown.map(() => '---:').join('|')}|`,
    ...tables.map((t) => `| ${t} | ${columns.map((c) => (c.get(t) ?? 0).toFixed(1)).join(' | ')} |`),
  ].join('\n');
}
