import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type Direction, sqlDirection } from '../crud/sorting';
import { whereUpdated } from '../crud/sync-window';
import type { Page } from './paginated-response';

/** `page` (1-based) and `per_page` of a list request. */
export interface PageQuery {
  page: number;
  per_page: number;
}

/** The rows of one page: how many, after how many. */
export function pageWindow(q: PageQuery): { take: number; skip: number } {
  return { take: q.per_page, skip: (q.page - 1) * q.per_page };
}

/** A list request with a sort, its direction and the sync window (`updated_after`/`updated_before`). */
export interface SortedPageQuery<S extends string> extends PageQuery {
  sort: S;
  direction: Direction;
  updated_after?: string;
  updated_before?: string;
}

/**
 * The list skeleton every repository shares: the caller's filtered query plus the sync window, ordered by the
 * requested sort expression then the id (same direction, so pages never overlap), one page of it and the total
 * of the filtered set.
 */
export async function sortedPage<T extends ObjectLiteral, S extends string>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  q: SortedPageQuery<S>,
  sortColumns: Record<S, string>,
): Promise<Page<T>> {
  whereUpdated(qb, alias, q);
  const dir = sqlDirection(q.direction);
  const { take, skip } = pageWindow(q);
  const [items, total] = await qb
    .orderBy(sortColumns[q.sort], dir)
    .addOrderBy(`${alias}.id`, dir)
    .offset(skip)
    .limit(take)
    .getManyAndCount();
  return { items, total };
}
