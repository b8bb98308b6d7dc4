import { ApiException } from '../errors/api.exception';

/**
 * Bounds on the shape of every body. JSON bodies are checked on their raw bytes before parsing (json-shape-scan.ts);
 * every parsed body (form posts too) again right after parsing and before any transformation:
 * class-transformer's work grows with the square of an object's key count (110,000 keys held the event loop for
 * ~20 s), so such bodies are refused up front by one linear walk. Documented in the OpenAPI document as
 * `maxProperties` / `maxItems` on every request schema that states no tighter bound.
 */
export const BODY_BOUNDS = {
  /** Keys of any one object (the largest real one: a form submission or an inbound lead, ~110). */
  maxKeys: 200,
  /** Items of any one array (the largest real ones: 100 select options or `in` values). */
  maxItems: 1000,
  /** Values in the whole body (every key's value and every item). */
  maxValues: 10_000,
  /** Nesting depth. */
  maxDepth: 32,
} as const;

interface Node {
  value: object;
  parent?: Node;
  key: string;
  depth: number;
}

/** The first bound a parsed JSON value exceeds, as a 422 naming the field; undefined when it is within bounds. */
export function bodyBoundsProblem(body: unknown): ApiException | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  let values = 0;
  const stack: Node[] = [{ value: body, key: '', depth: 1 }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    if (node.depth > BODY_BOUNDS.maxDepth) return tooDeep();
    if (Array.isArray(v)) {
      if (v.length > BODY_BOUNDS.maxItems) return tooManyIn(pathOf(node), BODY_BOUNDS.maxItems, 'items');
      values += v.length;
      for (let i = 0; i < v.length; i++) push(v[i], node, String(i));
    } else {
      let n = 0;
      for (const _key in v) {
        if (++n > BODY_BOUNDS.maxKeys) return tooManyIn(pathOf(node), BODY_BOUNDS.maxKeys, 'keys');
      }
      values += n;
      for (const key in v) push((v as Record<string, unknown>)[key], node, key);
    }
    if (values > BODY_BOUNDS.maxValues) return tooManyValues();
  }
  return undefined;

  function push(value: unknown, parent: Node, key: string) {
    if (value !== null && typeof value === 'object')
      stack.push({ value, parent, key, depth: parent.depth + 1 });
  }
}

/** The 422s of the bounds, shared with the raw-byte scan (json-shape-scan.ts) so both name fields alike. */
export function tooManyIn(path: string, bound: number, unit: 'items' | 'keys'): ApiException {
  const field = path || 'body';
  return ApiException.field(field, `The ${field} field must not have more than ${bound} ${unit}.`);
}

export function tooDeep(): ApiException {
  return ApiException.field(
    'body',
    `The request body is nested more than ${BODY_BOUNDS.maxDepth} levels deep.`,
  );
}

export function tooManyValues(): ApiException {
  return ApiException.field(
    'body',
    `The request body must not contain more than ${BODY_BOUNDS.maxValues} values in all.`,
  );
}

/** The dotted path of a node, built only when reported (keys may be long: each is cut to 64 characters). */
function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent)
    parts.unshift(n.key.length > 64 ? `${n.key.slice(0, 64)}…` : n.key);
  return parts.join('.');
}
