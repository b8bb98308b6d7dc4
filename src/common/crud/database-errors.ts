import { QueryFailedError } from 'typeorm';
import { ApiException } from '../errors/api.exception';

/** The unique constraint a failed INSERT/UPDATE violated, if that is why it failed. */
export function violatedConstraint(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driver = err.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' ? driver.constraint : undefined;
}

/**
 * Runs a write and turns a unique violation of the named constraints into 422 VALIDATION_FAILED for that
 * field, as the reference's error table has it: the database decides (no check-then-insert race).
 */
export async function uniquely<T>(write: () => Promise<T>, fields: Record<string, string>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const constraint = violatedConstraint(err);
    const field = constraint && fields[constraint];
    if (field) throw ApiException.field(field, `The ${field} has already been taken.`);
    throw err;
  }
}
