import { ArgumentMetadata, Injectable, Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiException, FieldErrors } from '../errors/api.exception';
import { reservedNestedKey } from './reserved-keys';

/**
 * Validates bodies and queries against their DTOs: unknown fields are rejected (no mass assignment,
 * no silently ignored typo), and every failure becomes a 422 with messages by field path.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // The value is read only to tell "missing" from "wrong" (flattenErrors); it never reaches a response.
      validationError: { target: false, value: true },
      exceptionFactory: (errors: ValidationError[]) => ApiException.validation(flattenErrors(errors)),
    });
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw ApiException.field('body', 'The request body must be a JSON object.');
      }
    }
    if (metadata.type === 'body' && nestingDepth(value) > MAX_DEPTH) {
      throw ApiException.field('body', `The request body is nested more than ${MAX_DEPTH} levels deep.`);
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const bad = findUnstorableString(value);
      if (bad)
        throw ApiException.field(bad, `The ${bad} field contains a NUL character or an unpaired surrogate.`);
    }
    const isDto = metadata.metatype && metadata.metatype !== Object;
    if (
      isDto &&
      (metadata.type === 'body' || metadata.type === 'query') &&
      value &&
      typeof value === 'object'
    ) {
      // `constructor`, `toString`… are properties of every object, so the whitelist would let them through unnamed.
      const inherited = Object.keys(value).filter((k) => OBJECT_KEYS.has(k));
      if (inherited.length) {
        throw ApiException.validation(
          Object.fromEntries(inherited.map((k) => [k, [`The ${k} field is not allowed.`]])),
        );
      }
      const reserved = metadata.type === 'body' ? reservedNestedKey(value) : undefined;
      if (reserved) throw reserved;
    }
    return super.transform(value, metadata);
  }
}

const BODY_PIPE = new ApiValidationPipe();

/**
 * Validates a value as a request body of `dto` (the same rules and 422s as the API's pipe), for code that has
 * a body without Nest's parameter binding: the inbound controller's lenient body, the engine's lead changes.
 */
export async function validateBody<T extends object>(dto: Type<T>, value: unknown): Promise<T> {
  return (await BODY_PIPE.transform(value, { type: 'body', metatype: dto, data: '' })) as T;
}

const OBJECT_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const MAX_DEPTH = 32;

/** Depth of a JSON value, measured without recursion (a hostile body must not exhaust the stack). */
function nestingDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/** One message per problem field, in the reference's wording ("The first_name field is required."). */
export function flattenErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    if (constraints.length) out[path] = [oneMessage(constraints, e, path)];
    if (e.children?.length) Object.assign(out, flattenErrors(e.children, path));
  }
  return out;
}

// The check that says most about a wrong value: its type first, then whatever else failed.
const TYPE_CHECKS = [
  'whitelistValidation',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'nestedValidation',
  'isEnum',
  'isIn',
];

function oneMessage(constraints: [string, string][], e: ValidationError, path: string): string {
  const names = constraints.map(([name]) => name);
  if (names.includes('whitelistValidation')) return `The ${path} field is not allowed.`;
  // A required field left out (or sent as null or an empty string) is one problem, whatever else it fails.
  const blank =
    e.value === undefined || e.value === null || (typeof e.value === 'string' && e.value.trim() === '');
  if (blank && (e.value === undefined || names.some((n) => n === 'isNotEmpty' || n === 'isDefined')))
    return `The ${path} field is required.`;
  const [name, message] =
    constraints.find(([n]) => TYPE_CHECKS.includes(n) && n !== 'whitelistValidation') ?? constraints[0];
  return humanize(name, message, e.property, path);
}

// class-validator says "first_name must be a string"; the reference says "The first_name field must be …".
function humanize(constraint: string, message: string, property: string, path: string): string {
  if (constraint === 'whitelistValidation') return `The ${path} field is not allowed.`;
  if (message.startsWith(`${property} `)) return `The ${path} field ${message.slice(property.length + 1)}.`;
  return message.endsWith('.') ? message : `${message}.`;
}

// PostgreSQL text cannot hold U+0000 and JSON cannot round-trip a lone surrogate: refuse them at the edge.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function findUnstorableString(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || 'body' : undefined;
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (UNSTORABLE.test(k)) return p;
    const bad = findUnstorableString(v, p, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}
