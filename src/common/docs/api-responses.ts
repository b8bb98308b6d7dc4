import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { codeForStatus, ERROR_CODES } from '../errors/error-codes';
import { envelope, ErrorEnvelope } from '../errors/error-envelope';
import { DataEnvelope, Paginated } from '../pagination/paginated-response';

const ERROR_EXAMPLES: Record<number, object> = {
  401: envelope('UNAUTHORIZED'),
  403: envelope('FORBIDDEN', 'This API key lacks the required scope: read:leads.'),
  404: envelope('NOT_FOUND', 'The requested lead does not exist.'),
  405: envelope(
    'METHOD_NOT_ALLOWED',
    'The PATCH method is not supported for this path. Allowed: GET, HEAD, POST.',
  ),
  409: envelope('CONFLICT'),
  413: envelope('PAYLOAD_TOO_LARGE'),
  415: envelope('UNSUPPORTED_MEDIA_TYPE'),
  422: envelope('VALIDATION_FAILED', undefined, { email: ['The email field must be an email.'] }),
  429: envelope('RATE_LIMITED', 'Rate limit of 1000 requests per hour exceeded for this API key.'),
  400: envelope('BAD_REQUEST', 'The request body is not valid JSON.'),
  500: envelope('SERVER_ERROR'),
  503: envelope('SERVICE_UNAVAILABLE'),
};

/** The document's response object for an error status: the shared envelope with an example. */
export function errorResponseObject(status: number) {
  return {
    description: ERROR_CODES[codeForStatus(status)].message,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ErrorEnvelope) }, example: ERROR_EXAMPLES[status] },
    },
  };
}

/** Documents error responses with the shared envelope and an example each. */
export function ApiErrorResponses(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ErrorEnvelope),
    ...statuses.map((status) => ApiResponse({ status, ...errorResponseObject(status) })),
  );
}

/** Errors of an operation on one record by id: not found, bad parameters. */
export const ApiRecordErrors = () => ApiErrorResponses(404, 422);
/** Errors of an operation with a JSON body. */
export const ApiBodyErrors = () => ApiErrorResponses(400, 413, 415, 422);

export function ApiDataResponse(
  model: Type<unknown>,
  status: HttpStatus.OK | HttpStatus.CREATED = HttpStatus.OK,
  description?: string,
) {
  return ApiResponse({
    status,
    type: DataEnvelope(model),
    description: description ?? (status === 201 ? 'Created.' : 'The record.'),
  });
}

export function ApiPageResponse(model: Type<unknown>) {
  return ApiResponse({ status: HttpStatus.OK, type: Paginated(model), description: 'One page of records.' });
}

export const ApiNoContentResponse = () =>
  ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Deleted; no body.' });

// The responses of the standard operations on a record, so each controller states only what differs.
/** Create: 201 with the record; body errors. */
export const ApiCreateResponses = (model: Type<unknown>) =>
  applyDecorators(ApiDataResponse(model, 201), ApiBodyErrors());
/** Show: the record; 404. */
export const ApiShowResponses = (model: Type<unknown>) =>
  applyDecorators(ApiDataResponse(model), ApiRecordErrors());
/** Update (PUT and PATCH): the record; 404 and body errors. */
export const ApiUpdateResponses = (model: Type<unknown>) =>
  applyDecorators(ApiDataResponse(model), ApiRecordErrors(), ApiBodyErrors());
/** Delete: 204; 404. */
export const ApiDeleteResponses = () => applyDecorators(ApiNoContentResponse(), ApiRecordErrors());
