/**
 * What the access log may contain. Keys sent where they do not belong (`?access_token=`, `?api_key=`,
 * `X-Api-Key`) and search terms (emails, phone numbers) would otherwise land in it in plaintext: the URL is
 * logged without its query string, and credential-looking headers are redacted.
 */
export const REDACTED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-amz-security-token',
];

export const LOG_REDACT = {
  paths: [
    ...REDACTED_HEADERS.map((h) => `req.headers["${h}"]`),
    'res.headers["set-cookie"]',
    'res.headers["x-api-key"]',
  ],
  censor: '[redacted]',
};

interface SerializedRequest {
  url?: string;
  query?: unknown;
  params?: unknown;
  headers?: Record<string, unknown>;
  [k: string]: unknown;
}

/** pino-http's request serializer (it receives the standard serialization): the path only, no query values. */
export function serializeRequest(req: SerializedRequest): SerializedRequest {
  const out: SerializedRequest = { ...req, url: pathOnly(req.url) };
  delete out.query;
  delete out.params;
  if (out.headers) {
    // Any header that looks like a credential, beyond the listed ones (x-my-service-token, x-secret…).
    out.headers = Object.fromEntries(
      Object.entries(out.headers).map(([k, v]) => [k, CREDENTIAL.test(k) ? '[redacted]' : v]),
    );
  }
  return out;
}

const CREDENTIAL = /auth|token|secret|passw|api[-_]?key|cookie|session|signature/i;

export function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
