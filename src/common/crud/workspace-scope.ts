import { FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import { ApiException } from '../errors/api.exception';

/**
 * Loads a record of the caller's workspace by id, or 404: a record of another workspace is
 * indistinguishable from a missing one.
 */
export async function findInWorkspace<T extends ObjectLiteral & { id: number; workspaceId: number }>(
  repo: Repository<T>,
  workspaceId: number,
  id: number,
  what: string,
): Promise<T> {
  const found = await repo.findOneBy({ id, workspaceId } as FindOptionsWhere<T>);
  if (!found) throw ApiException.notFound(what);
  return found;
}
