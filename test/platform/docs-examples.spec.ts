import { createHmac } from 'node:crypto';
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

  /**
   * Receivers are called by Meta and Google, not by a key holder: the test plays the outside service, against an
   * integration holding the secrets the documented examples use.
   */
  const APP_SECRET = 'app-secret-of-the-docs';
  const RECEIVING: Record<string, Json> = {
    facebook: {
      type: 'facebook_lead_ads',
      config: {
        page_id: '123456789012345',
        app_secret: APP_SECRET,
        access_token: 'page-token',
        verify_token: 'my-verify-token',
      },
    },
    'google-ads': { type: 'google_ads', config: { webhook_key: 's3cr3t-key' } },
  };
  async function receiverToken(kind: string): Promise<string> {
    const res = await t.post('/api/v1/integrations', { name: `Docs ${kind}`, ...RECEIVING[kind] }, { key });
    expect(res.status).toBe(201);
    return String(res.body.data.receiver_url).split('/').pop()!;
  }
  /** A delivery the retry example can re-queue: a webhook subscription's delivery that finally failed. */
  async function failedDeliveryId(): Promise<string> {
    const sub = await t.post(
      '/api/v1/integrations',
      {
        type: 'webhook',
        name: 'Docs hook',
        // A public address literal: host names do not resolve on a closed network.
        config: { url: 'https://93.184.216.34/x', event_types: ['lead.created'] },
      },
      { key },
    );
    expect(sub.status).toBe(201);
    const [ws] = await t.sql<{ workspace_id: number }>(
      `SELECT workspace_id FROM integrations WHERE id = $1`,
      [sub.body.data.id],
    );
    const [row] = await t.sql<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, workspace_id, integration_id, kind, url, event_type, payload, status, attempts)
       VALUES (gen_random_uuid(), $1, $2, 'subscription', 'https://hooks.example.com/x', 'lead.created', '{}', 'failed', 8)
       RETURNING id`,
      [ws.workspace_id, sub.body.data.id],
    );
    return row.id;
  }

  /** `{x}` → the record created by the POST on the collection just before it, or the parameter's example. */
  async function fill(path: string, op: Json): Promise<string> {
    const receiver = /^\/api\/v1\/receivers\/([^/]+)\/\{receiver_id\}$/.exec(path);
    if (receiver) return path.replace('{receiver_id}', await receiverToken(receiver[1]));
    if (path === '/api/v1/deliveries/{id}/retry') return path.replace('{id}', await failedDeliveryId());
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
    const url = await fill(path as string, op);
    const query = (op.parameters ?? [])
      .filter((p: Json) => p.in === 'query' && p.required)
      .map((p: Json) => `${p.name}=${encodeURIComponent(p.example ?? p.schema?.example)}`)
      .join('&');
    const body = op.requestBody?.content?.['application/json']?.example;
    const secured = !Array.isArray(op.security) || op.security.length > 0;
    // Meta signs the raw body with the app secret (supertest sends JSON.stringify of it).
    const headers: Record<string, string> =
      method === 'POST' && String(path).startsWith('/api/v1/receivers/facebook/')
        ? {
            'X-Hub-Signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(JSON.stringify(body)).digest('hex')}`,
          }
        : {};
    const res = await t.call(method as string, query ? `${url}?${query}` : url, {
      key: secured ? key : undefined,
      body,
      headers,
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
