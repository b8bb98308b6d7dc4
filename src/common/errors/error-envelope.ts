import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from './error-codes';

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
}

export function envelope(
  code: ErrorCode,
  message?: string,
  errors?: Record<string, string[]>,
): ErrorEnvelope {
  const body: ErrorEnvelope = { status: 'error', message: message ?? ERROR_CODES[code].message, code };
  if (errors && Object.keys(errors).length) body.errors = errors;
  return body;
}
