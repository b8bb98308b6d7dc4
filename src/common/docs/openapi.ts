import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { APP_VERSION } from '../app-version';
import { publishedSchemas } from '../validation/json-schema';
import { errorResponseObject } from './api-responses';
import { documentEdge } from './edge-docs';
import { buildExample } from './examples';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RATE_HEADERS = {
  'X-RateLimit-Limit': {
    description: 'Requests allowed per hour for this API key.',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 2147483647, example: 1000 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window.',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647, example: 847 },
  },
  'X-RateLimit-Reset': {
    description: 'Unix time (seconds) at which the window resets.',
    schema: { type: 'integer', format: 'int64', minimum: 0, maximum: 253402300799, example: 1711580400 },
  },
};
const HEADERS: Json = {
  ...RATE_HEADERS,
  'Retry-After': {
    description: 'Seconds until the rate-limit window resets.',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600, example: 600 },
  },
  'X-Request-Id': {
    description: 'Identifies the request in the server logs (echoes a valid incoming X-Request-Id).',
    schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  },
  'Idempotent-Replayed': {
    description:
      'Present (`true`) when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
  Location: {
    description: 'The path of the created record (for an inbound lead: the lead).',
    required: true,
    schema: { type: 'string', maxLength: 2048, example: '/api/v1/leads/1842' },
  },
};

/** The OpenAPI 3.1 document: the same bytes on every run and in every environment. */
/** Sections in the reference's order, Health last (Swagger UI shows them in this order). */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Leads: 'People who may become customers: the core of LeadHub.',
  Pipelines: 'Sales pipelines and their ordered stages.',
  'Pipeline stages': 'The ordered stages of a pipeline.',
  Tags: 'Labels on leads.',
  Users: 'The people who own leads.',
  Forms: 'Lead capture forms and their submissions.',
  Automations: 'Rules that act on leads when something happens.',
  Integrations: 'Connections to external services.',
  Inbound: 'Simple lead intake for webhooks and no-code tools, with de-duplication.',
  Health: 'Is the instance up and its database reachable (no API key).',
};
const TAG_ORDER = Object.keys(TAG_DESCRIPTIONS);

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('LeadHub API')
    .setDescription(
      'REST API of LeadHub, the self-hostable lead-management service. Every request except the health check needs an API key ' +
        'in the `Authorization: Bearer lh_…` header; each operation lists the scope it requires (`x-required-scopes`). ' +
        'Each key is limited to its hourly rate limit (1,000 by default); every response to a valid key carries the ' +
        '`X-RateLimit-*` headers. Errors share one envelope: `{status: "error", message, code, errors?}` (`errors` ' +
        'lists at most 50 fields; `omitted_errors` counts the rest). A key with a `write:` scope receives the records ' +
        'it writes: write implies reading what you wrote. Every JSON body is bounded before it is read further: at ' +
        'most 200 keys per object, 1,000 items per array, 10,000 values and 32 levels in all (422 naming the field).',
    )
    .setVersion(APP_VERSION)
    .setOpenAPIVersion('3.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This LeadHub instance (production, staging or local: wherever it is deployed)')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'lh_<key>',
        description:
          'A LeadHub API key (`lh_…`) with scopes: `read:X`, `write:X` and, for leads, users, forms and automations, ' +
          '`delete:X`; `*` grants all. A `write:X` key receives the records it writes in the responses (write implies ' +
          'reading what you wrote), but cannot list or read others.',
      },
      'api_key',
    )
    .build();
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller: string, method: string) => method,
  });
  // Schemas written as JSON Schema (automation and form definitions): the very objects requests are validated with.
  Object.assign(((doc.components ??= {}).schemas ??= {}), publishedSchemas());
  return finalize(doc as unknown as Json) as unknown as OpenAPIObject;
}

const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe (Stripe semantics): the first successful response to a request with this key is stored ' +
    'with its write and replayed (with `Idempotent-Replayed: true`) to any retry with the same key for 24 hours. ' +
    'Scoped to the API key. The same key with a different request is a 422; a retry while the first request is ' +
    'still running waits up to 3 seconds, then gets 409. A request that failed stores nothing. Use a new random ' +
    'value (a UUID) per logical request.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]{1,255}$' },
};

function finalize(doc: Json): Json {
  doc.components.headers = HEADERS;
  documentEdge(doc);
  doc.components.parameters = { IdempotencyKey: IDEMPOTENCY_PARAMETER };
  for (const item of Object.values<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      const scopes: string[] | undefined = op['x-required-scopes'];
      if (scopes) {
        op.description = [`**Required scope:** \`${scopes.join('`, `')}\``, op.description]
          .filter(Boolean)
          .join('\n\n');
      }
      // Any operation can meet an unknown query parameter (422) or an unexpected failure (500);
      // any operation with a body can meet malformed JSON (400), a body too large (413) or another media type (415).
      const idempotent = method === 'post' && scopes !== undefined;
      if (idempotent) {
        op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
        op.responses['409'] ??= errorResponseObject(409);
      }
      const always = ['422', '500', ...(op.requestBody ? ['400', '413', '415'] : [])];
      for (const status of always) op.responses[status] ??= errorResponseObject(Number(status));
      op.responses = sortKeys(op.responses);
      // A query parameter with a default is optional, whatever the DTO's TypeScript type says.
      for (const p of op.parameters ?? [])
        if (p.in === 'query' && p.schema?.default !== undefined) p.required = false;
      // Swagger UI would pre-fill query examples into "Try it out" (an empty, filtered list on a fresh install):
      // optional query parameters describe themselves, without example values (`tenant` keeps `default`).
      for (const p of op.parameters ?? [])
        if (p.in === 'query' && !p.required) {
          delete p.example;
          if (p.schema) delete p.schema.example;
        }
      // Request examples run as they are on a fresh install: no ids of records that do not exist there.
      for (const media of Object.values<Json>(op.requestBody?.content ?? {}))
        media.example ??= withoutReferences(buildExample(media.schema, doc));
      // Path ids are integers (IdPipe), whatever `number` the plugin saw.
      for (const p of op.parameters ?? [])
        if (p.in === 'path' && /(^|_)id$/.test(p.name) && p.schema?.type === 'number')
          p.schema.type = 'integer';
      for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
        response.headers = {
          ...(response.headers ?? {}),
          'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
          'Cache-Control': { $ref: '#/components/headers/Cache-Control' },
        };
        if (scopes && status !== '401') {
          for (const h of Object.keys(RATE_HEADERS))
            response.headers[h] = { $ref: `#/components/headers/${h}` };
        }
        if (status === '201') response.headers.Location = { $ref: '#/components/headers/Location' };
        if (idempotent && /^2/.test(status))
          response.headers['Idempotent-Replayed'] = { $ref: '#/components/headers/Idempotent-Replayed' };
        if (status === '429') response.headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
        const media = response.content?.['application/json'];
        if (media && media.example === undefined) media.example = buildExample(media.schema, doc);
      }
    }
  }
  walkSchemas(doc, tightenSchema);
  const used = new Set(
    Object.values<Json>(doc.paths).flatMap((item) =>
      Object.values<Json>(item).flatMap((op) => op.tags ?? []),
    ),
  );
  const rank = (name: string) => (TAG_ORDER.includes(name) ? TAG_ORDER.indexOf(name) : TAG_ORDER.length - 1);
  doc.tags = [...used]
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  for (const server of doc.servers ?? []) server['x-internal'] = false; // a public API for integrators
  doc.paths = sortKeys(doc.paths);
  doc.components.schemas = sortKeys(doc.components.schemas ?? {});
  return doc;
}

/** A request example without the `*_id` references a fresh install cannot satisfy. */
function withoutReferences(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutReferences);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      // Integer `*_id`s point at records; string ones (an outside service's lead id) are data.
      .filter(([k, v]) => !(k.endsWith('_id') && typeof v === 'number'))
      .map(([k, v]) => [k, withoutReferences(v)]),
  );
}

const INT32 = { min: -2147483648, max: 2147483647 };
const INT64_SAFE = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** Facts true of every schema here, stated for clients and linters: integers are int32 columns, `*_at` are timestamps. */
function tightenSchema(schema: Json, name?: string): void {
  if (schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'))) {
    schema.format ??= 'int32';
    // int64 values travel as JSON numbers read by JavaScript: exact up to 2^53 - 1.
    const range = schema.format === 'int64' ? INT64_SAFE : INT32;
    schema.minimum ??= range.min;
    schema.maximum ??= range.max;
  }
  if (
    name?.endsWith('_at') &&
    (schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string')))
  ) {
    schema.format ??= 'date-time';
  }
}

/** Calls `visit` on every schema of the document (components, parameters, bodies, responses), depth first. */
function walkSchemas(doc: Json, visit: (schema: Json, name?: string) => void): void {
  const seen = new Set<Json>();
  const walk = (schema: Json | undefined, name?: string) => {
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    if (!schema.$ref) visit(schema, name);
    for (const [k, v] of Object.entries<Json>(schema.properties ?? {})) walk(v, k);
    walk(schema.items, name);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      walk(schema.additionalProperties);
    for (const list of [schema.allOf, schema.oneOf, schema.anyOf]) for (const s of list ?? []) walk(s);
  };
  for (const s of Object.values<Json>(doc.components?.schemas ?? {})) walk(s);
  for (const item of Object.values<Json>(doc.paths)) {
    for (const op of Object.values<Json>(item)) {
      for (const p of op.parameters ?? []) walk(p.schema, p.name);
      for (const media of Object.values<Json>(op.requestBody?.content ?? {})) walk(media.schema);
      for (const r of Object.values<Json>(op.responses ?? {}))
        for (const media of Object.values<Json>(r.content ?? {})) walk(media.schema);
    }
  }
}

function sortKeys(o: Json): Json {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

export function setupSwagger(app: INestApplication): void {
  const doc = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, doc, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    // The key entered under "Authorize" survives a reload.
    swaggerOptions: { persistAuthorization: true },
  });
}
