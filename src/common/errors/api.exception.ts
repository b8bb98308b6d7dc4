import { HttpException } from '@nestjs/common';
import { ERROR_CODES, ErrorCode } from './error-codes';

export type FieldErrors = Record<string, string[]>;

/** An error the API reports on purpose: its code, a message and, for 409/422, errors by field. */
export class ApiException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly errors?: FieldErrors,
  ) {
    super(message, ERROR_CODES[code].status);
  }

  static notFound(what = 'record'): ApiException {
    return new ApiException('NOT_FOUND', `The requested ${what} does not exist.`);
  }

  static validation(errors: FieldErrors, message?: string): ApiException {
    return new ApiException('VALIDATION_FAILED', message, errors);
  }

  static field(field: string, message: string): ApiException {
    return ApiException.validation({ [field]: [message] });
  }

  static conflict(field: string, message: string): ApiException {
    return new ApiException('CONFLICT', message, { [field]: [message] });
  }
}
