type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An example value composed from a schema's property examples (resolving $refs), for every response. */
export function buildExample(schema: Json | undefined, doc: Json, depth = 0): unknown {
  if (!schema || depth > 16) return undefined;
  if (schema.$ref) return buildExample(resolve(schema.$ref, doc), doc, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.allOf)
    return Object.assign({}, ...schema.allOf.map((s: Json) => buildExample(s, doc, depth + 1)));
  if (schema.oneOf || schema.anyOf) return buildExample((schema.oneOf ?? schema.anyOf)[0], doc, depth + 1);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'array') {
    const item = buildExample(schema.items, doc, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (type === 'object' || schema.properties) {
    const out: Json = {};
    for (const [k, v] of Object.entries<Json>(schema.properties ?? {})) {
      const value = buildExample(v, doc, depth + 1);
      if (value !== undefined) out[k] = value;
    }
    return out;
  }
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'string') return schema.format === 'date-time' ? '2026-03-28T09:15:00+00:00' : 'string';
  return undefined;
}

function resolve(ref: string, doc: Json): Json | undefined {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Json | undefined>((node, part) => node?.[part], doc);
}
