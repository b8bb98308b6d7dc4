import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { DataValidationCxt } from 'ajv/dist/types';
import type { FieldErrors } from '../errors/api.exception';
import { indexSchema, schemaErrors } from './json-schema-errors';

/**
 * JSON Schemas (draft 2020-12, the dialect of OpenAPI 3.1) that are both the validation of a request part and
 * its description in the document: `defineSchemas` registers them by component name, `compileSchema` turns a
 * schema into a validator returning errors by dotted path, and `publishedSchemas` gives the document's copies.
 *
 * Two keywords exist for validation only and are left out of the document: `x-trim` (a string is trimmed
 * before its other keywords apply, and stays trimmed) and `x-message` (the wording of any failure inside the
 * node, reported at the node's path). The document's `discriminator.mapping` is left out for ajv, which
 * infers it from each branch's `const` type.
 */
export type JsonSchema = { [key: string]: unknown };

const VALIDATION_ONLY = new Set(['x-trim', 'x-message']);
const registry: Record<string, JsonSchema> = {};

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Registers component schemas (names unique across the app); returns them for use in other schemas. */
export function defineSchemas<T extends Record<string, JsonSchema>>(schemas: T): T {
  for (const [name, schema] of Object.entries(schemas)) {
    if (registry[name]) throw new Error(`schema ${name} is defined twice`);
    registry[name] = schema;
  }
  dirty = true;
  return schemas;
}

/** The registered schemas as the document shows them (fresh copies: the document's post-processing edits them). */
export function publishedSchemas(): Record<string, JsonSchema> {
  return copy(registry, (key) => !VALIDATION_ONLY.has(key)) as Record<string, JsonSchema>;
}

const ajv = new Ajv2020({
  allErrors: true, // every problem at once
  verbose: true, // errors carry their schema node: x-message and the paths come from it
  discriminator: true,
  strict: false, // `example`, `description` and the document's other annotations are not validation
  validateFormats: false, // formats document; the rules behind them (URLs, e-mails) are explicit checks
});
ajv.addKeyword({
  keyword: 'x-trim',
  type: 'string',
  schemaType: 'boolean',
  modifying: true,
  before: 'maxLength',
  validate: (on: boolean, data: string, _schema?: unknown, cxt?: DataValidationCxt) => {
    if (on && cxt?.parentData !== undefined) cxt.parentData[cxt.parentDataProperty] = data.trim();
    return true;
  },
});

let dirty = false;
const ROOT = 'leadhub';

/**
 * A validator for `schema` (which may $ref registered components): returns the problems by dotted path, empty
 * when the value is valid. Compile once (at module load) and call per request; it trims `x-trim` strings in place.
 */
export function compileSchema(schema: JsonSchema): (value: unknown) => FieldErrors {
  if (dirty) {
    const root = { components: { schemas: forAjv(registry) } };
    for (const component of Object.values(root.components.schemas)) indexSchema(component);
    ajv.removeSchema(ROOT);
    ajv.addSchema(root, ROOT);
    dirty = false;
  }
  const own = rebase(forAjv(schema));
  indexSchema(own);
  const validate: ValidateFunction = ajv.compile(own);
  return (value) => (validate(value) ? {} : schemaErrors(validate.errors as ErrorObject[], resolve));
}

function resolve(ref: string): JsonSchema | undefined {
  return ajv.getSchema(ref.startsWith('#') ? `${ROOT}${ref}` : ref)?.schema as JsonSchema | undefined;
}

function forAjv(schema: object): JsonSchema {
  return copy(schema, (key, parent) => !(key === 'mapping' && parent === 'discriminator')) as JsonSchema;
}

/** The compiled schema's own `#/components/...` refs point into the registry's document. */
function rebase(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${ROOT}#/`)) as JsonSchema;
}

function copy(value: unknown, keep: (key: string, parent?: string) => boolean, parent?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => copy(v, keep));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => keep(k, parent))
      .map(([k, v]) => [k, copy(v, keep, k)]),
  );
}

/** A trimmed, non-empty string of at most `max` characters (or null, when `nullable`). */
export const trimmedText = (max: number, nullable = false): JsonSchema => ({
  type: nullable ? ['string', 'null'] : 'string',
  'x-trim': true,
  minLength: 1,
  maxLength: max,
});

/** The id of a record (an int4 column); whether it exists in the workspace is checked after the schema. */
export const recordId = (nullable = false): JsonSchema => ({
  type: nullable ? ['integer', 'null'] : 'integer',
  minimum: 1,
  maximum: 2_147_483_647,
  'x-message': 'must be a positive integer id.',
});
