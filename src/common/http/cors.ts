import fastifyCors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** `*`, a list of exact origins, or `false` (no CORS headers at all). */
export type CorsOrigins = '*' | string[] | false;

// What a browser may send and read (DESIGN.md "Responses"): keys are bearer tokens, never cookies.
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'];
export const CORS_EXPOSED_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'X-Request-Id',
  'Location',
  'Idempotent-Replayed',
];

/**
 * CORS for `/api/*` only (the docs and anything else stay same-origin): preflights get a 204 before
 * authentication, since a browser never sends the Authorization header on a preflight.
 */
export async function registerCors(app: NestFastifyApplication, origins: CorsOrigins): Promise<void> {
  const enabled = {
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    // A bare OPTIONS (no Origin) is answered like a preflight instead of a text/plain 400.
    strictPreflight: false,
  };
  const disabled = { origin: false as const };
  await app.register(fastifyCors, {
    delegator: (req, cb) => cb(null, origins !== false && req.url.startsWith('/api/') ? enabled : disabled),
  });
}

/** Parses CORS_ORIGINS: unset or `*` → any origin; `off` → none; else a comma-separated list. */
export function parseCorsOrigins(value: string | undefined): CorsOrigins {
  const v = value?.trim();
  if (!v || v === '*') return '*';
  if (/^(off|none|false)$/i.test(v)) return false;
  return v
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}
