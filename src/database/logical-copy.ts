import { Client } from 'pg';
import { DatabaseClient } from './pg-client';

/**
 * A logical copy of the database, through `pg` alone (no pg_dump): every table of the public schema (except
 * the migrations table), read in one REPEATABLE READ snapshot so a running server does not tear it, and
 * written back into a schema the migrations built. Used by `leadhub backup/restore` and `leadhub db:copy`.
 */
export const BATCH_ROWS = 500;

export interface TableChunk {
  table: string;
  /** Rows as row_to_json produced them (one JSON object per row). */
  rows: Record<string, unknown>[];
}

export interface SequenceState {
  name: string;
  lastValue: string | null;
}

export interface Snapshot {
  migrations: string[];
  tables: string[];
  sequences: SequenceState[];
  chunks(): AsyncGenerator<TableChunk>;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The tables a backup or copy carries, in an order where every referenced table comes before the tables that
 * reference it.
 */
export async function tablesInOrder(c: Client): Promise<string[]> {
  const { rows: tables } = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> 'migrations'
        -- Caches bound to the cluster's transaction ids (migration LeadListChanges) stay behind.
        AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'cluster-local:%'
      ORDER BY c.relname`,
  );
  const { rows: refs } = await c.query<{ child: string; parent: string }>(
    `SELECT cc.relname AS child, pc.relname AS parent FROM pg_constraint k
       JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_class pc ON pc.oid = k.confrelid
      WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace AND k.conrelid <> k.confrelid`,
  );
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (t: string, path: Set<string>) => {
    if (seen.has(t) || path.has(t)) return;
    path.add(t);
    for (const r of refs) if (r.child === t) visit(r.parent, path);
    seen.add(t);
    order.push(t);
  };
  for (const t of tables) visit(t.name, new Set());
  return order;
}

/** Columns that can be written (generated ones are computed again). */
async function writableColumns(c: Client, table: string): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [`public.${ident(table)}`],
  );
  return rows.map((r) => r.name);
}

async function primaryKey(c: Client, table: string): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [`public.${ident(table)}`],
  );
  return rows.map((r) => r.name);
}

/**
 * Opens a consistent snapshot of the database at `url`. Reading happens in one read-only REPEATABLE READ
 * transaction; call `close()` when done.
 */
export async function openSnapshot(url: string): Promise<Snapshot & { close(): Promise<void> }> {
  const c = new DatabaseClient({ connectionString: url });
  await c.connect();
  await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const migrations = (
    await c.query<{ name: string }>('SELECT name FROM migrations ORDER BY timestamp, id')
  ).rows.map((r) => r.name);
  const tables = await tablesInOrder(c);
  const sequences = (
    await c.query<{ name: string; last_value: string | null }>(
      `SELECT sequencename AS name, last_value::text FROM pg_sequences WHERE schemaname = 'public'
        ORDER BY sequencename`,
    )
  ).rows.map((r) => ({ name: r.name, lastValue: r.last_value }));
  async function* chunks(): AsyncGenerator<TableChunk> {
    for (const table of tables) {
      const cols = (await writableColumns(c, table)).map(ident).join(', ');
      const pk = (await primaryKey(c, table)).map(ident).join(', ');
      await c.query(
        `DECLARE leadhub_copy NO SCROLL CURSOR FOR
           SELECT row_to_json(r)::text AS j FROM (SELECT ${cols} FROM public.${ident(table)}
           ${pk ? `ORDER BY ${pk}` : ''}) r`,
      );
      for (;;) {
        const { rows } = await c.query<{ j: string }>(`FETCH ${BATCH_ROWS} FROM leadhub_copy`);
        if (!rows.length) break;
        yield { table, rows: rows.map((r) => JSON.parse(r.j) as Record<string, unknown>) };
      }
      await c.query('CLOSE leadhub_copy');
    }
  }
  return {
    migrations,
    tables,
    sequences,
    chunks,
    close: async () => {
      await c.query('COMMIT').catch(() => undefined);
      await c.end();
    },
  };
}

/** Tables of the target that already hold rows (a restore or copy goes into an empty database only). */
export async function nonEmptyTables(c: Client): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tablesInOrder(c)) {
    const { rowCount } = await c.query(`SELECT 1 FROM public.${ident(table)} LIMIT 1`);
    if (rowCount) found.push(table);
  }
  return found;
}

/**
 * Writes a snapshot's rows into `c` (schema already migrated to the snapshot's level, tables empty), in one
 * transaction: user triggers are off while loading (derived tables such as lead_counts come with the data),
 * then the sequences are set. Returns the row count per table.
 */
export async function loadRows(
  c: Client,
  tables: string[],
  chunks: AsyncIterable<TableChunk>,
  sequences: SequenceState[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t, 0]));
  const columns = new Map<string, string>();
  await c.query('BEGIN');
  try {
    await c.query('SET CONSTRAINTS ALL DEFERRED');
    for (const t of tables) await c.query(`ALTER TABLE public.${ident(t)} DISABLE TRIGGER USER`);
    for await (const { table, rows } of chunks) {
      if (!(table in counts)) throw new Error(`the backup has a table this version does not know: ${table}`);
      if (!columns.has(table)) columns.set(table, (await writableColumns(c, table)).map(ident).join(', '));
      const cols = columns.get(table)!;
      await c.query(
        `INSERT INTO public.${ident(table)} (${cols}) OVERRIDING SYSTEM VALUE
           SELECT ${cols} FROM json_populate_recordset(NULL::public.${ident(table)}, $1::json)`,
        [JSON.stringify(rows)],
      );
      counts[table] += rows.length;
    }
    for (const t of tables) await c.query(`ALTER TABLE public.${ident(t)} ENABLE TRIGGER USER`);
    for (const s of sequences)
      if (s.lastValue !== null)
        await c.query('SELECT setval(to_regclass($1), $2::bigint, true)', [
          `public.${ident(s.name)}`,
          s.lastValue,
        ]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return counts;
}
