import { IsOptional } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dateBound, IsIsoDate } from '../validation/iso-date';
import { SortablePaginationQueryDto } from './sorting';

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
  @IsIsoDate()
  updated_after?: string;

  /** Changed at or before this instant; a date alone includes that whole day (UTC). */
  @IsOptional()
  @IsIsoDate()
  updated_before?: string;
}

/** The updated_at window as SQL conditions on `column`, with `param(value)` naming each bound. */
export function updatedWindow(
  column: string,
  q: { updated_after?: string; updated_before?: string },
  param: (value: string) => string,
): string[] {
  const out: string[] = [];
  if (q.updated_after !== undefined)
    out.push(`${column} >= ${param(dateBound(q.updated_after, 'after').sql)}`);
  if (q.updated_before !== undefined) {
    const bound = dateBound(q.updated_before, 'before');
    out.push(`${column} ${bound.inclusive ? '<=' : '<'} ${param(bound.sql)}`);
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
