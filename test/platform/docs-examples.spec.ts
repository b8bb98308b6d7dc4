import { OPENAPI } from '../support/contract';
import { TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Swagger UI on a fresh install: every operation's documented example request, run as is, gets its documented
// success status. Path ids come from the records the documented POST examples created.
const ORDER = ['post', 'get', 'put', 'patch', 'delete'];
const operations = Object.entries<Json>(OPENAPI.paths)
  .flatMap(([path, item]) => Object.entries<Json>(item).map(([method, op]) => ({ path, method, op })))
  .sort(
    (a, b) =>
      ORDER.indexOf(a.method) - ORDER.indexOf(b.method) ||
      // creates: collections before nested ones; deletes: nested ones first
      (a.method === 'delete' ? -1 : 1) * (depth(a.path) - depth(b.path)) ||
      a.path.localeCompare(b.path),
  );
function depth(path: string): number {
  return (path.match(/\{/g) ?? []).length;
}

describe('the documented examples work on a fresh install', () => {
  let t: TestApp;
  let key: string;
  const created: Record<string, Json> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('default')).key(['*']);
  });
  afterAll(() => t.close());

  /** `{x}` → the record created by the POST on the collection just before it, or the parameter's example. */
  function fill(path: string, op: Json): string {
    return path.replace(/\{([^}]+)\}/g, (_, name: string, offset: number) => {
      const collection = path.slice(0, offset - 1);
      if (name === 'public_id') return created['/api/v1/forms']?.public_id;
      const record = created[collection];
      if (record) return String(record.id);
      const param = op.parameters?.find((p: Json) => p.name === name);
      return String(param?.example ?? param?.schema?.example);
    });
  }

  it.each(operations.map((o) => [o.method.toUpperCase(), o.path, o]))('%s %s', async (method, path, o) => {
    const { op } = o as { op: Json };
    const url = fill(path as string, op);
    const query = (op.parameters ?? [])
      .filter((p: Json) => p.in === 'query' && p.required)
      .map((p: Json) => `${p.name}=${encodeURIComponent(p.example ?? p.schema?.example)}`)
      .join('&');
    const body = op.requestBody?.content?.['application/json']?.example;
    const secured = !Array.isArray(op.security) || op.security.length > 0;
    const res = await t.call(method as string, query ? `${url}?${query}` : url, {
      key: secured ? key : undefined,
      body,
    });
    const success = Object.keys(op.responses).filter((s) => /^2/.test(s));
    expect({ status: res.status, body: res.status >= 400 ? res.body : undefined }).toEqual({
      status: success.includes(String(res.status)) ? res.status : Number(success[0]),
      body: undefined,
    });
    // (POST /leads/{id}/tags answers with the lead, not a record of a collection)
    if (method === 'POST' && res.body?.data?.id !== undefined && !/\}\/tags$/.test(String(path)))
      created[path as string] = res.body.data;
  });
});
