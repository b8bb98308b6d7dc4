import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from './error-codes';

/** Error bodies stay small whatever the input: at most this many fields, messages per field, characters. */
export const MAX_ERROR_FIELDS = 50;
export const MAX_FIELD_MESSAGES = 5;
const MAX_TEXT = 500;

const cut = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

/** The body of every error response. */
export class ErrorEnvelope {
  @ApiProperty({ enum: ['error'], example: 'error' })
  status: 'error';

  @ApiProperty({ example: 'The given data was invalid.' })
  message: string;

  @ApiProperty({ enum: Object.keys(ERROR_CODES), example: 'VALIDATION_FAILED' })
  code: ErrorCode;

  @ApiPropertyOptional({
    description: 'Messages by field (dotted paths for nested fields).',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { email: ['The email field must be a valid email address.'] },
  })
  errors?: Record<string, string[]>;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: `How many more fields had errors: \`errors\` lists at most ${MAX_ERROR_FIELDS} fields (${MAX_FIELD_MESSAGES} messages each).`,
    example: 12,
  })
  omitted_errors?: number;
}

export function envelope(
  code: ErrorCode,
  message?: string,
  errors?: Record<string, string[]>,
): ErrorEnvelope {
  const body: ErrorEnvelope = { status: 'error', message: cut(message ?? ERROR_CODES[code].message), code };
  const fields = errors ? Object.keys(errors) : [];
  if (!fields.length) return body;
  // fromEntries defines own keys: a field named `__proto__` stays a field.
  body.errors = Object.fromEntries(
    fields.slice(0, MAX_ERROR_FIELDS).map((f) => [cut(f), errors![f].slice(0, MAX_FIELD_MESSAGES).map(cut)]),
  );
  if (fields.length > MAX_ERROR_FIELDS) body.omitted_errors = fields.length - MAX_ERROR_FIELDS;
  return body;
}
