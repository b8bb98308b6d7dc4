import type { ErrorEnvelope } from './generated/openapi.js';

/** The `code` of every error the API documents (the error-code table in the README). */
export type ErrorCode = ErrorEnvelope['code'];

/**
 * A response outside 2xx, with the API's error envelope unpacked. `code` is `UNEXPECTED_RESPONSE` when the body
 * was not an envelope (e.g. an HTML page from a proxy in front of the API); `body` then holds what came back.
 */
export class LeadHubApiError extends Error {
  override readonly name = 'LeadHubApiError';
  readonly status: number;
  readonly code: ErrorCode | 'UNEXPECTED_RESPONSE';
  /** Messages by field (dotted paths for nested fields), as in a 422; empty when the error is not about fields. */
  readonly errors: Record<string, string[]>;
  /** How many more fields had errors than `errors` lists (the server caps the list). */
  readonly omittedErrors: number;
  /** The server's `X-Request-Id`: quote it when reporting a problem, it finds the request in the logs. */
  readonly requestId: string | null;
  /** Seconds the server asked to wait (`Retry-After`, on 429 and some 503s), or null. */
  readonly retryAfter: number | null;
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** The parsed body as received. */
  readonly body: unknown;

  constructor(response: Response, body: unknown, method: string, url: string) {
    const envelope = isEnvelope(body) ? body : undefined;
    super(envelope?.message ?? `${method} ${url} answered ${response.status} without an error envelope.`);
    this.status = response.status;
    this.code = envelope?.code ?? 'UNEXPECTED_RESPONSE';
    this.errors = envelope?.errors ?? {};
    this.omittedErrors = envelope?.omitted_errors ?? 0;
    this.requestId = response.headers.get('x-request-id');
    this.retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
    this.method = method;
    this.url = url;
    this.headers = response.headers;
    this.body = body;
  }
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  const b = body as Partial<ErrorEnvelope> | null;
  return typeof b === 'object' && b !== null && b.status === 'error' && typeof b.code === 'string';
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
