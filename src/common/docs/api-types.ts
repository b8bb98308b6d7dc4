import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

// Types the document states, declared where the field is (the post-processing in openapi.ts only orders and
// decorates: it does not guess types from field names).

/** A timestamp of a response (`isoTimestamp()`): RFC 3339 `date-time`. */
export const ApiTimestamp = (options: ApiPropertyOptions = {}) =>
  ApiProperty({ format: 'date-time', ...options } as ApiPropertyOptions);

/** A bigint column (bigserial ids of events and runs): `int64`, published with JavaScript's safe-integer range. */
export const ApiInt64 = (options: ApiPropertyOptions = {}) =>
  ApiProperty({ type: 'integer', format: 'int64', ...options } as ApiPropertyOptions);
