import { QueryFailedError } from 'typeorm';
import { ApiException } from '../errors/api.exception';

/** The constraint a failed statement violated (unique, foreign key, check…), if that is why it failed. */
export function violatedConstraint(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driver = err.driverError as { code?: string; constraint?: string };
  return driver.code?.startsWith('23') ? driver.constraint : undefined;
}

/** A field of the request and what its client is told when the constraint refuses the write. */
export interface ConstraintField {
  field: string;
  message: string;
}

/** The unique constraint on `field`: "has already been taken" (the reference's error table). */
export const taken = (field: string): ConstraintField => ({
  field,
  message: `The ${field} has already been taken.`,
});

/**
 * Runs a write and turns a violation of one of the named constraints into 422 VALIDATION_FAILED on its field:
 * the database decides (no check-then-write race), the client is told which field, never a 500.
 */
export async function fieldOnConstraint<T>(
  write: () => Promise<T>,
  constraints: Record<string, ConstraintField>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const constraint = violatedConstraint(err);
    const hit = constraint ? constraints[constraint] : undefined;
    if (hit) throw ApiException.field(hit.field, hit.message);
    throw err;
  }
}
