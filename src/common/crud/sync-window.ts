import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { SortablePaginationQueryDto } from './sorting';

/** A calendar date or a date-time (offset optional, UTC when absent). */
export const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
export const DATE_MESSAGE = (p: string) =>
  `The ${p} field must be an ISO 8601 date (2026-03-28) or date-time (2026-03-28T09:15:00+00:00).`;

/**
 * Every list: `direction`, and `updated_after`/`updated_before` for incremental sync (with `sort=updated_at`,
 * a client fetches what changed since its last run).
 */
export class SyncablePaginationQueryDto extends SortablePaginationQueryDto {
  /**
   * Incremental sync: changed at or after this instant (a date alone: its start, 00:00 UTC). Use with
   * `sort=updated_at&direction=asc`.
   */
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('updated_after') })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('updated_after') })
  updated_after?: string;

  /** Changed at or before this instant; a date alone includes that whole day (UTC). */
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE, { message: DATE_MESSAGE('updated_before') })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE('updated_before') })
  updated_before?: string;
}

/**
 * An *_after/*_before value as an instant. A date alone is 00:00 UTC of that day, and for *_before 00:00 of the
 * next day (compared with `<`, so the whole day is included); a date-time without an offset is UTC.
 */
export function dateBound(value: string, side: 'after' | 'before'): string {
  if (!value.includes('T')) {
    const day = new Date(`${value}T00:00:00Z`);
    if (side === 'before') day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString();
  }
  let v = value.toUpperCase();
  const offset = /([+-])(\d{2}):?(\d{2})?$/.exec(v.slice(10));
  if (offset) v = `${v.slice(0, v.length - offset[0].length)}${offset[1]}${offset[2]}:${offset[3] ?? '00'}`;
  else if (!v.endsWith('Z')) v += 'Z';
  return new Date(v).toISOString();
}

/** The updated_at window as SQL conditions on `column`, with `param(value)` naming each bound. */
export function updatedWindow(
  column: string,
  q: { updated_after?: string; updated_before?: string },
  param: (value: string) => string,
): string[] {
  const out: string[] = [];
  if (q.updated_after !== undefined) out.push(`${column} >= ${param(dateBound(q.updated_after, 'after'))}`);
  if (q.updated_before !== undefined) {
    const op = q.updated_before.includes('T') ? '<=' : '<';
    out.push(`${column} ${op} ${param(dateBound(q.updated_before, 'before'))}`);
  }
  return out;
}

/** Adds the updated_at window to a query builder over `alias`. */
export function whereUpdated<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  q: { updated_after?: string; updated_before?: string },
): SelectQueryBuilder<T> {
  let n = 0;
  const params: Record<string, string> = {};
  for (const cond of updatedWindow(`${alias}.updated_at`, q, (v) => {
    const name = `updated_bound_${n++}`;
    params[name] = v;
    return `:${name}`;
  }))
    qb.andWhere(cond, params);
  return qb;
}
