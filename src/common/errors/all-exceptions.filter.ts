import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { setResponseErrorCode } from '../logging/logger';
import { ApiException } from './api.exception';
import { codeForStatus, ErrorCode, ERROR_CODES } from './error-codes';
import { envelope, ErrorEnvelope } from './error-envelope';

// PostgreSQL/driver conditions that mean "the database is not reachable right now", not "bad request".
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  // A deadlock or serialization failure that outlived its transaction's retries (retryConflicts): try later.
  '40P01',
  '40001',
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection timeout|Connection ended|not queryable/i;
// Fastify's own request errors (parsing, limits, media types) by their error code.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
};

export interface MappedError {
  status: number;
  body: ErrorEnvelope;
  unexpected: boolean;
}

/** Maps anything thrown to the error envelope; nothing of a library's message, SQL or stack leaves. */
export function mapError(exception: unknown): MappedError {
  if (exception instanceof ApiException) {
    return reply(exception.code, exception.message, exception.errors);
  }
  if (exception instanceof HttpException) {
    const code = codeForStatus(exception.getStatus());
    return reply(code, undefined, undefined, code === 'SERVER_ERROR');
  }
  const err = exception as {
    code?: string;
    statusCode?: number;
    message?: string;
    driverError?: { code?: string; column?: string };
  };
  const fastifyCode = err?.code && FASTIFY_CODES[err.code];
  if (fastifyCode) {
    const message =
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'The request body is not valid JSON.'
        : undefined;
    return reply(fastifyCode, message);
  }
  if (err?.code?.startsWith?.('FST_') && err.statusCode && err.statusCode < 500) {
    return reply(codeForStatus(err.statusCode));
  }
  const dbCode = err?.driverError?.code ?? err?.code;
  if ((dbCode && UNAVAILABLE_CODES.has(dbCode)) || UNAVAILABLE_MESSAGE.test(err?.message ?? '')) {
    return reply('SERVICE_UNAVAILABLE');
  }
  // Safety nets: a constraint the validation layer should have caught is still the client's error, not a 500.
  if (dbCode === '23505') return reply('CONFLICT');
  const column = err?.driverError?.column;
  if (dbCode === '23502' && column) {
    return reply(
      'VALIDATION_FAILED',
      undefined,
      { [column]: [`The ${column} field may not be null.`] },
      true,
    );
  }
  if (dbCode === '23503' || dbCode === '23514' || dbCode === '22001' || dbCode === '23502') {
    return reply('VALIDATION_FAILED', 'The given data violates a constraint.', undefined, true);
  }
  if (
    dbCode === '22021' ||
    dbCode === '22P05' ||
    dbCode === '22P02' ||
    dbCode === '22003' ||
    dbCode === '54000'
  ) {
    return reply('VALIDATION_FAILED', 'The given data contains a value the database cannot store.');
  }
  return reply('SERVER_ERROR', undefined, undefined, true);
}

function reply(
  code: ErrorCode,
  message?: string,
  errors?: Record<string, string[]>,
  unexpected = false,
): MappedError {
  return { status: ERROR_CODES[code].status, body: envelope(code, message, errors), unexpected };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<FastifyReply>();
    const mapped = mapError(exception);
    if (mapped.unexpected) this.logger.error(loggable(exception));
    else if (mapped.status === 503)
      this.logger.warn(`database unavailable: ${(exception as Error)?.message}`);
    setResponseErrorCode(res.raw, mapped.body.code);
    res.status(mapped.status).header('content-type', 'application/json; charset=utf-8').send(mapped.body);
  }
}

/** What goes to the log for an unexpected error: never a query's parameters or a row's values (personal data). */
function loggable(exception: unknown): object {
  if (exception instanceof QueryFailedError) {
    const d = exception.driverError as {
      code?: string;
      constraint?: string;
      table?: string;
      column?: string;
    };
    return {
      err: 'QueryFailedError',
      code: d.code,
      constraint: d.constraint,
      table: d.table,
      column: d.column,
      query: exception.query,
    };
  }
  const e = exception as Error;
  return { err: e?.name, message: e?.message, stack: e?.stack };
}
