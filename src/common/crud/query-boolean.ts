import { Transform } from 'class-transformer';

/**
 * A boolean query parameter: exactly `true` or `false`. Anything else stays a string, so `@IsBoolean()`
 * rejects it with a 422 (no `?is_active=yes` silently read as true).
 */
export const QueryBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));
