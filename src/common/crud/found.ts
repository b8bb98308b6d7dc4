import { ApiException } from '../errors/api.exception';

/** The record a repository found, or 404 naming `what` (another workspace's record is a missing one). */
export function found<T>(record: T | null | undefined, what: string): T {
  if (record === null || record === undefined) throw ApiException.notFound(what);
  return record;
}
