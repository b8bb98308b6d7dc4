import { BODY_BOUNDS } from '../edge/body-bounds';
import { errorResponseObject } from './api-responses';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CACHE_CONTROL_HEADER = {
  description: 'Always `no-store`: API responses (personal data) are never to be cached.',
  schema: { type: 'string', enum: ['no-store'], maxLength: 8 },
};

const WRITE_IMPLIES_READ =
  'A key with a `write:` scope receives the records it writes in the responses, even without the matching ' +
  '`read:` scope: write implies reading what you wrote (as with GitHub and Stripe keys).';

// Lists build absolute links from APP_URL or the request's host: a Host that is no host name cannot make one.
const INVALID_HOST = (() => {
  const r = errorResponseObject(400);
  return {
    description: 'The Host (or trusted X-Forwarded-Host/-Proto) header is invalid and APP_URL is not set.',
    content: {
      'application/json': {
        ...r.content['application/json'],
        example: {
          status: 'error',
          message: 'The Host header is not a valid host name.',
          code: 'BAD_REQUEST',
        },
      },
    },
  };
})();

// Keyless operations are bounded per client address (KEYLESS_RATE_LIMIT, src/common/edge/keyless-budget.ts).
const KEYLESS_429 = (() => {
  const r = errorResponseObject(429);
  return {
    description:
      'Too many requests from this client address (KEYLESS_RATE_LIMIT per minute); see Retry-After.',
    content: {
      'application/json': {
        ...r.content['application/json'],
        example: {
          status: 'error',
          message: 'Too many requests from this address; try again later.',
          code: 'RATE_LIMITED',
        },
      },
    },
  };
})();

/**
 * What the request edge guarantees, stated in the document (called first by finalize in openapi.ts, which also
 * puts the Cache-Control header on every response): the body bounds, 429 on keyless operations (a per-address budget) (`maxProperties`/`maxItems` on every request
 * schema without a tighter one), 400 for an invalid Host on operations that build links, and write-implies-read
 * on write scopes.
 */
export function documentEdge(doc: Json): void {
  doc.components.headers['Cache-Control'] = CACHE_CONTROL_HEADER;
  const bounded = new Set<Json>();
  for (const item of Object.values<Json>(doc.paths)) {
    for (const op of Object.values<Json>(item)) {
      for (const media of Object.values<Json>(op.requestBody?.content ?? {}))
        boundSchema(doc, media.schema, bounded);
      if (Array.isArray(op.security) && !op.security.length) op.responses['429'] ??= KEYLESS_429;
      if (op.parameters?.some((p: Json) => p.in === 'query' && p.name === 'page'))
        op.responses['400'] ??= INVALID_HOST;
      const scopes: string[] = op['x-required-scopes'] ?? [];
      const returnsRecord = ['200', '201'].some((s) => op.responses?.[s]?.content);
      if (
        scopes.some((s) => s.startsWith('write:')) &&
        returnsRecord &&
        !op.description?.includes(WRITE_IMPLIES_READ)
      )
        op.description = [op.description, WRITE_IMPLIES_READ].filter(Boolean).join('\n\n');
    }
  }
}

/** maxProperties / maxItems on a request schema and everything it contains (following $refs once each). */
function boundSchema(doc: Json, schema: Json | undefined, seen: Set<Json>): void {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return boundSchema(doc, doc.components.schemas?.[name], seen);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object') || schema.properties) schema.maxProperties ??= BODY_BOUNDS.maxKeys;
  if (types.includes('array')) schema.maxItems ??= BODY_BOUNDS.maxItems;
  for (const v of Object.values<Json>(schema.properties ?? {})) boundSchema(doc, v, seen);
  boundSchema(doc, schema.items, seen);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
    boundSchema(doc, schema.additionalProperties, seen);
  for (const list of [schema.allOf, schema.oneOf, schema.anyOf])
    for (const s of list ?? []) boundSchema(doc, s, seen);
}
