import { ApiException } from '../errors/api.exception';

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A nested key the validation pipe would silently delete (Nest strips `constructor`, `prototype` and `__proto__`
 * against prototype pollution) is refused instead, naming the object that holds it: no field vanishes unnoticed.
 * (Top-level names are refused by ApiValidationPipe itself.) Bodies are bounded in size and depth beforehand.
 */
export function reservedNestedKey(body: unknown): ApiException | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const stack: [unknown, string][] = [];
  for (const [k, v] of Object.entries(body)) stack.push([v, k]);
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    for (const [k, v] of Object.entries(value)) {
      if (RESERVED.has(k) && !Array.isArray(value))
        return ApiException.field(path, `The ${path} field must not use the reserved key "${k}".`);
      stack.push([v, `${path}.${k}`]);
    }
  }
  return undefined;
}
