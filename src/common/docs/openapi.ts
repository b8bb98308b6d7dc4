import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { APP_VERSION } from '../app-version';
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
};

/** The OpenAPI 3.1 document: the same bytes on every run and in every environment. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Health: 'Is the instance up and its database reachable (no API key).',
  Leads: 'People who may become customers: the core of LeadHub.',
  Inbound: 'Simple lead intake for webhooks and no-code tools, with de-duplication.',
  Pipelines: 'Sales pipelines and their ordered stages.',
  Tags: 'Labels on leads.',
  Users: 'The people who own leads.',
  Forms: 'Lead capture forms and their submissions.',
  Automations: 'Rules that act on leads when something happens.',
  Integrations: 'Connections to external services.',
};

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
  return finalize(doc as unknown as Json) as unknown as OpenAPIObject;
}

function finalize(doc: Json): Json {
  doc.components.headers = HEADERS;
  documentEdge(doc);
  for (const item of Object.values<Json>(doc.paths)) {
    for (const op of Object.values<Json>(item)) {
      const scopes: string[] | undefined = op['x-required-scopes'];
      if (scopes) {
        op.description = [`**Required scope:** \`${scopes.join('`, `')}\``, op.description]
          .filter(Boolean)
          .join('\n\n');
      }
      // Any operation can meet an unknown query parameter (422) or an unexpected failure (500);
      // any operation with a body can meet malformed JSON (400), a body too large (413) or another media type (415).
      const always = ['422', '500', ...(op.requestBody ? ['400', '413', '415'] : [])];
      for (const status of always) op.responses[status] ??= errorResponseObject(Number(status));
      op.responses = sortKeys(op.responses);
      // A query parameter with a default is optional, whatever the DTO's TypeScript type says.
      for (const p of op.parameters ?? [])
        if (p.in === 'query' && p.schema?.default !== undefined) p.required = false;
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
  doc.tags = [...used].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name }));
  for (const server of doc.servers ?? []) server['x-internal'] = false; // a public API for integrators
  doc.paths = sortKeys(doc.paths);
  doc.components.schemas = sortKeys(doc.components.schemas ?? {});
  return doc;
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** Facts true of every schema here, stated for clients and linters: integers are int32 columns, `*_at` are timestamps. */
function tightenSchema(schema: Json, name?: string): void {
  if (schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'))) {
    schema.format ??= 'int32';
    schema.minimum ??= INT32.min;
    schema.maximum ??= INT32.max;
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
  });
}
