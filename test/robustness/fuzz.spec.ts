import fc from 'fast-check';
import { contractViolations, OPENAPI } from '../support/contract';
import { arbitraryFor, bodyArbitrary, hostileValue } from '../support/schema-arbitrary';
import { TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Reproducible: FUZZ_SEED picks the run; FUZZ_REQUESTS scales it (CI: ≥ 2,000).
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 2400);

const operations = Object.entries<Json>(OPENAPI.paths).flatMap(([template, item]) =>
  Object.entries<Json>(item).map(([method, op]) => ({ template, method: method.toUpperCase(), op })),
);

const idArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '1.5', '99999999999', '%27', 'null', '1e3') },
);

function requestArbitrary(template: string, op: Json): fc.Arbitrary<{ url: string; body?: unknown }> {
  const pathParams = (template.match(/\{[^}]+\}/g) ?? []).map((p) => p.slice(1, -1));
  const query: Json[] = (op.parameters ?? []).filter((p: Json) => p.in === 'query');
  const queryArb = fc.record(
    Object.fromEntries(
      query.map((p) => [
        p.name,
        fc
          .oneof({ weight: 12, arbitrary: arbitraryFor(p.schema) }, { weight: 1, arbitrary: hostileValue })
          .map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))),
      ]),
    ),
    { requiredKeys: [] },
  );
  const extraQuery = fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('stauts=new', 'per_page=1e9', 'page=-1', 'sort=;DROP', 'x[y]=1'),
    },
  );
  const schema = op.requestBody?.content?.['application/json']?.schema;
  return fc
    .record({
      ids: fc.tuple(...pathParams.map(() => idArbitrary), fc.constant('')),
      query: queryArb,
      extra: extraQuery,
      body: schema ? bodyArbitrary(schema) : fc.constant(undefined),
    })
    .map(({ ids, query: q, extra, body }) => {
      let path = template;
      pathParams.forEach((p, i) => (path = path.replace(`{${p}}`, encodeURIComponent(ids[i]))));
      const qs = new URLSearchParams(q as Record<string, string>).toString();
      const all = [qs, extra].filter(Boolean).join('&');
      return { url: all ? `${path}?${all}` : path, body };
    });
}

describe(`fuzzing every operation from the document (seed ${SEED}, ${TOTAL} requests)`, () => {
  let t: TestApp;
  let key: string;
  const statuses: Record<string, number> = {};
  let sent = 0;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('fuzz')).key(['*'], { rateLimit: 1_000_000_000 });
  });
  afterAll(async () => {
    process.stdout.write(
      `fuzz: ${sent} requests over ${operations.length} operations, statuses ${JSON.stringify(statuses)}\n`,
    );
    await t.close();
  });

  const perOperation = Math.max(20, Math.ceil(TOTAL / Math.max(1, operations.length)));

  it.each(operations.map((o) => [`${o.method} ${o.template}`, o] as const))(
    '%s: no 5xx, every response as documented',
    async (_name, o) => {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(o.template, o.op), async ({ url, body }) => {
          const withBody = o.method !== 'GET' && o.method !== 'DELETE';
          const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
          const raw =
            withBody && !isObject
              ? { body: JSON.stringify(body ?? {}), type: 'application/json' }
              : undefined;
          const payload = withBody && isObject ? body : undefined;
          const res = await t.call(o.method, url, { key, raw, body: payload, unchecked: true });
          sent++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status >= 500)
            throw new Error(`${o.method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
          const problems = contractViolations(o.method, url, res.status, res.body, res.headers);
          if (problems.length) throw new Error(problems.join('\n'));
          if (res.status >= 400 && res.body?.status !== 'error')
            throw new Error(`${res.status} without the error envelope`);
        }),
        { seed: SEED, numRuns: perOperation, endOnFailure: true },
      );
    },
  );
});
