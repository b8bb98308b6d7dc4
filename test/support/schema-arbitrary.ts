import fc from 'fast-check';
import { OPENAPI } from './contract';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function resolve(schema: Json): Json {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) {
    s = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Json, part: string) => node?.[part], OPENAPI);
  }
  return s ?? {};
}

/** Values that break schemas: wrong types, extremes, characters databases dislike. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.constant(2 ** 53),
  fc.boolean(),
  fc.string({ maxLength: 20 }),
  fc.constant('x'.repeat(5000)),
  fc.constant('\u0000'),
  fc.constant('\ud800'),
  fc.constant("'; DROP TABLE leads; --"),
  fc.constant('<script>alert(1)</script>'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Mostly-valid values for a JSON schema of the document (resolving $refs). */
export function arbitraryFor(schema: Json | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema ?? {});
  if (depth > 5) return fc.constant(null);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.oneOf || s.anyOf)
    return fc.oneof(...(s.oneOf ?? s.anyOf).map((x: Json) => arbitraryFor(x, depth + 1)));
  if (s.allOf) return arbitraryFor(Object.assign({}, ...s.allOf.map(resolve)), depth + 1);
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : [];
  const nonNull = types.filter((t) => t !== 'null');
  const base = nonNull.length
    ? typed(nonNull[0], s, depth)
    : fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  return types.includes('null') ? fc.oneof(base, fc.constant(null)) : base;
}

function typed(type: string, s: Json, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'integer':
      return fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 200, 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor(s.items, depth + 1), { maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props = Object.fromEntries(
        Object.entries<Json>(s.properties ?? {}).map(([k, v]) => [k, arbitraryFor(v, depth + 1)]),
      );
      if (!Object.keys(props).length) {
        return fc.dictionary(
          fc.stringMatching(/^[a-z_]{1,10}$/),
          fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()),
          { maxKeys: 3 },
        );
      }
      return fc.record(props, { requiredKeys: (s.required ?? []).filter((k: string) => k in props) });
    }
    default:
      return stringFor(s);
  }
}

function stringFor(s: Json): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 40);
  const min = Math.min(s.minLength ?? 0, max);
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'date-time' || s.format === 'date') {
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (s.format === 'uri' || s.format === 'url') return fc.webUrl();
  if (s.pattern === '^#[0-9A-Fa-f]{6}$') return fc.stringMatching(/^#[0-9A-F]{6}$/);
  return fc.string({ minLength: min, maxLength: max });
}

/** A request body for an operation: valid-looking, or valid with one hostile field, an unknown field, or hostile whole. */
export function bodyArbitrary(schema: Json): fc.Arbitrary<unknown> {
  const valid = arbitraryFor(schema);
  const props = Object.keys(resolve(schema).properties ?? {});
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, props.length ? fc.constantFrom(...props) : fc.constant('x'), hostileValue)
        .map(([v, k, bad]) => (v && typeof v === 'object' ? { ...v, [k]: bad } : v)),
    },
    {
      weight: 1,
      arbitrary: valid.map((v) => (v && typeof v === 'object' ? { ...v, unexpected_field: 1 } : v)),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}
