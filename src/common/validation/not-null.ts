import { ApiException, FieldErrors } from '../errors/api.exception';

/**
 * Partial updates mark every field optional, and class-validator's `@IsOptional()` lets `null` through:
 * for columns that cannot be null, refuse it here (422 naming the fields) instead of failing in the database.
 */
export function rejectNulls<T extends object>(dto: T, fields: readonly (keyof T & string)[]): void {
  const errors: FieldErrors = {};
  for (const field of fields)
    if (dto[field] === null) errors[field] = [`The ${field} field must not be null.`];
  if (Object.keys(errors).length) throw ApiException.validation(errors);
}
