import { HttpStatus } from '@nestjs/common';

/** The error codes of the reference and DESIGN.md, with the status and default message of each. */
export const ERROR_CODES = {
  BAD_REQUEST: {
    status: HttpStatus.BAD_REQUEST,
    message: 'The request is malformed (for example, the body is not valid JSON).',
  },
  UNAUTHORIZED: { status: HttpStatus.UNAUTHORIZED, message: 'The API key is missing or invalid.' },
  FORBIDDEN: { status: HttpStatus.FORBIDDEN, message: 'The API key does not have the required scope.' },
  NOT_FOUND: { status: HttpStatus.NOT_FOUND, message: 'The requested resource does not exist.' },
  METHOD_NOT_ALLOWED: {
    status: HttpStatus.METHOD_NOT_ALLOWED,
    message: 'The method is not supported for this path (see the Allow header).',
  },
  CONFLICT: {
    status: HttpStatus.CONFLICT,
    message: 'A request with this Idempotency-Key is still being processed.',
  },
  PAYLOAD_TOO_LARGE: { status: HttpStatus.PAYLOAD_TOO_LARGE, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    message: 'The request body must be sent as application/json.',
  },
  VALIDATION_FAILED: { status: HttpStatus.UNPROCESSABLE_ENTITY, message: 'The given data was invalid.' },
  RATE_LIMITED: { status: HttpStatus.TOO_MANY_REQUESTS, message: 'Too many requests.' },
  SERVER_ERROR: { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'An unexpected server error occurred.' },
  SERVICE_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'The service is temporarily unavailable. Try again shortly.',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function codeForStatus(status: number): ErrorCode {
  const found = (Object.keys(ERROR_CODES) as ErrorCode[]).find((c) => ERROR_CODES[c].status === status);
  if (found) return found;
  return status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST';
}
