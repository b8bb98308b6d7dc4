import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The committed document states the types declared in the code (issue 12: post-processing orders and decorates,
// it does not infer types from names). Regenerate with `npm run openapi`.
const doc: Json = JSON.parse(readFileSync(join(__dirname, '../../openapi/openapi.json'), 'utf8'));
const schemas: Record<string, Json> = doc.components.schemas;
const SAFE = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

describe('OpenAPI types come from their declarations', () => {
  it.each([
    ['AutomationRunResponse', 'id'],
    ['AutomationRunResponse', 'event_id'],
    ['DeliveryResponse', 'automation_run_id'],
  ])('%s.%s (a bigserial column) is int64 within the safe-integer range', (schema, prop) => {
    expect(schemas[schema].properties[prop]).toMatchObject({ format: 'int64', ...SAFE });
  });

  it('every timestamp of a response is a date-time', () => {
    const timestamps = Object.entries(schemas).flatMap(([name, s]) =>
      Object.entries<Json>(s.properties ?? {})
        .filter(([k]) => k.endsWith('_at'))
        .map(([k, p]) => [`${name}.${k}`, p.format]),
    );
    expect(timestamps.length).toBeGreaterThan(20);
    expect(timestamps.filter(([, format]) => format !== 'date-time')).toEqual([]);
  });

  it('path ids are integers; paths and schemas are sorted by code point', () => {
    const ids = Object.values<Json>(doc.paths).flatMap((item) =>
      Object.values<Json>(item).flatMap((op) =>
        (op.parameters ?? []).filter((p: Json) => p.in === 'path' && /(^|_)id$/.test(p.name)),
      ),
    );
    const numeric = ids.filter((p: Json) => p.schema.type !== 'string');
    expect(numeric.length).toBeGreaterThan(20);
    expect(numeric.filter((p: Json) => p.schema.type !== 'integer')).toEqual([]);
    for (const keys of [Object.keys(doc.paths), Object.keys(schemas)])
      expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('carries no internal marks', () => {
    expect(JSON.stringify(doc)).not.toContain('x-leadhub-reference');
  });
});
