import type { ErrorObject } from 'ajv/dist/2020';
import type { FieldErrors } from '../errors/api.exception';

type Node = { [key: string]: unknown };

/** Each schema node's parent within its component, and how many levels of the value lie between them. */
const parents = new WeakMap<object, { parent: Node; depth: number }>();

/** Records the parents of every node of `schema` (not across $refs: a component has many referrers). */
export function indexSchema(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Node;
  const child = (c: unknown, depth: number) => {
    if (c && typeof c === 'object' && !Array.isArray(c)) {
      parents.set(c, { parent: node, depth });
      indexSchema(c);
    }
  };
  for (const c of Object.values((node.properties as Node) ?? {})) child(c, 1);
  for (const key of ['items', 'additionalProperties', 'contains']) child(node[key], 1);
  for (const key of ['not', 'if', 'then', 'else']) child(node[key], 0);
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems'])
    for (const c of (node[key] as unknown[]) ?? []) child(c, key === 'prefixItems' ? 1 : 0);
}

/**
 * ajv's errors as the API reports them: `{"a.0.b": ["The a.0.b field must …"]}`, one message per problem and
 * path. A node's `x-message` words any failure inside it, at its own path (a select's options are reported as
 * one list, not option by option); otherwise the wording follows the keyword.
 */
export function schemaErrors(errors: ErrorObject[], resolve: (ref: string) => Node | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    // A value outside an enum also fails its `type`: the list of values says more.
    if (e.keyword === 'type' && (e.parentSchema as Node).enum) continue;
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const owner = messageOwner(e.parentSchema as Node);
    let suffix: string;
    if (owner) {
      path.length -= owner.up;
      suffix = owner.message;
    } else if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
      const p = e.params as { missingProperty?: string; additionalProperty?: string };
      path.push((p.missingProperty ?? p.additionalProperty)!);
      suffix = e.keyword === 'required' ? 'is required.' : 'is not allowed.';
    } else if (e.keyword === 'discriminator') {
      const tag = (e.params as { tag: string }).tag;
      path.push(tag);
      suffix = `must be one of: ${tagValues(e.parentSchema as Node, tag, resolve).join(', ')}.`;
    } else suffix = keywordMessage(e);
    const at = path.join('.');
    const message = `The ${at} field ${suffix}`;
    if (!(out[at] ??= []).includes(message)) out[at].push(message);
  }
  return out;
}

/** The outermost node around `node` (itself included) with an `x-message`, and how many levels up it is. */
function messageOwner(node: Node | undefined): { message: string; up: number } | undefined {
  let found: { message: string; up: number } | undefined;
  for (let n = node, up = 0; n;) {
    if (typeof n['x-message'] === 'string') found = { message: n['x-message'], up };
    const p = parents.get(n);
    if (!p) break;
    up += p.depth;
    n = p.parent;
  }
  return found;
}

function tagValues(schema: Node, tag: string, resolve: (ref: string) => Node | undefined): string[] {
  return ((schema.oneOf as Node[]) ?? []).map((branch) => {
    const s = typeof branch.$ref === 'string' ? resolve(branch.$ref) : branch;
    const prop = (s?.properties as Record<string, Node> | undefined)?.[tag] ?? {};
    return String(prop.const ?? (prop.enum as unknown[] | undefined)?.[0]);
  });
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
};

function keywordMessage(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const s = e.parentSchema as Node;
  switch (e.keyword) {
    case 'type': {
      const types = [p.type as string[] | string].flat().filter((t) => t !== 'null');
      return `must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}.`;
    }
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}.`;
    case 'const':
      return `must be ${String(p.allowedValue)}.`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty.' : `must be at least ${String(p.limit)} characters long.`;
    case 'maxLength':
      return `must not be longer than ${String(p.limit)} characters.`;
    case 'minItems':
    case 'maxItems':
      return s.minItems !== undefined && s.maxItems !== undefined
        ? `must have between ${String(s.minItems)} and ${String(s.maxItems)} items.`
        : e.keyword === 'maxItems'
          ? `must not have more than ${String(p.limit)} items.`
          : `must have at least ${String(p.limit)} items.`;
    case 'uniqueItems':
      return 'must not repeat items.';
    case 'minimum':
    case 'maximum':
      return `must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}.`;
    default:
      return 'is invalid.';
  }
}
