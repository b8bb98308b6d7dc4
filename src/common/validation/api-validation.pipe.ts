import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
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
      validationError: { target: false, value: false },
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

export function flattenErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    for (const [name, message] of Object.entries(e.constraints ?? {})) {
      (out[path] ??= []).push(humanize(name, message, e.property, path));
    }
    if (e.children?.length) Object.assign(out, flattenErrors(e.children, path));
  }
  return out;
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
