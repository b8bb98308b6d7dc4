import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ADVISORY_LOCK } from '../common/database/advisory-locks';
import { DatabaseClient } from './pg-client';

/** Tables vacuumed in one round at most: a round stays short; the rest wait for the next. */
const TABLES_PER_ROUND = 4;

/**
 * The service's tables whose dead rows are due for VACUUM, or whose changes are due for ANALYZE, by autovacuum's
 * own rule and settings (threshold + scale factor × rows), most dead rows first.
 */
const DUE_TABLES = `
  SELECT name, needs_vacuum AS vacuum FROM (
    SELECT s.relname AS name, s.n_dead_tup AS dead,
           s.n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
             + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0) AS needs_vacuum,
           s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
             + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0) AS needs_analyze
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = current_schema()) t
   WHERE needs_vacuum OR needs_analyze
   ORDER BY dead DESC
   LIMIT ${TABLES_PER_ROUND}`;

export type VacuumMode = 'auto' | 'always';

/** VACUUM and ANALYZE of the service's own tables, for src/engine/vacuum-upkeep.ts. */
@Injectable()
export class TableVacuum {
  constructor(private readonly db: DataSource) {}

  /**
   * One round: the tables due, vacuumed (or analyzed) one after the other. `auto`: nothing while the server's
   * autovacuum is on. Returns what it did, or why it did nothing (autovacuum on, another instance at it).
   */
  async round(mode: VacuumMode): Promise<{ skipped?: 'autovacuum' | 'busy'; tables: string[] }> {
    if (mode === 'auto') {
      // Read on the pool: most rounds end here, and they need no connection of their own.
      const [{ on }]: { on: boolean }[] = await this.db.query(
        `SELECT current_setting('autovacuum') = 'on' AS on`,
      );
      if (on) return { skipped: 'autovacuum', tables: [] };
    }
    // A connection of its own, closed after the round: its lock and settings end with it, whatever failed.
    const client = new DatabaseClient({ connectionString: (this.db.options as { url: string }).url });
    await client.connect();
    try {
      const lock = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [
        ADVISORY_LOCK.vacuumUpkeep,
      ]);
      if (!lock.rows[0].got) return { skipped: 'busy', tables: [] };
      await client.query('SET statement_timeout = 0');
      const due = await client.query<{ name: string; vacuum: boolean }>(DUE_TABLES);
      for (const t of due.rows) {
        const table = `"${t.name.replace(/"/g, '""')}"`;
        await client.query(t.vacuum ? `VACUUM (ANALYZE) ${table}` : `ANALYZE ${table}`);
      }
      return { tables: due.rows.map((t) => t.name) };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
