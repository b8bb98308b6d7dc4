import { ValidateIf } from 'class-validator';

/**
 * An optional body property that is not nullable: omitted, it is skipped; `null` is validated like any
 * other value (and so rejected with a 422 instead of reaching a NOT NULL column). `@IsOptional()` would let
 * `null` through.
 */
export const IsOmittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);
