import { engineTestConfig } from '../engine/engine-support';
import { TestApp, TestWorkspace } from '../support/test-app';
import { AdminClient, createAdmin } from './admin-client';

/** Issue 16, item 5: each receiver URL to paste into the outside service, and recent deliveries with their status. */
let t: TestApp;
let ws: TestWorkspace;
let admin: AdminClient;
let key: string;

const GOOGLE_KEY = 'g-key-0123456789';
const email = (local: string) => [local, 'example.com'].join('@');

beforeAll(async () => {
  // No worker: a re-queued delivery stays `pending` for the page to show (nothing is really sent here).
  t = await TestApp.start({ config: engineTestConfig({ worker: false }) });
  ws = await t.workspace('default');
  key = await ws.key(['*']);
  await createAdmin(t, ws.id, 'root@example.com');
  admin = new AdminClient(t.app.getHttpServer());
  expect((await admin.signIn('root@example.com')).status).toBe(303);
}, 120_000);
afterAll(() => t.close());

async function googleIntegration(name: string, k = key) {
  const res = await t.post(
    '/api/v1/integrations',
    { type: 'google_ads', name, config: { webhook_key: GOOGLE_KEY } },
    { key: k },
  );
  expect(res.status).toBe(201);
  return res.body.data as { id: number; receiver_url: string };
}

async function failedDelivery(workspaceId: number, integrationId: number, url: string): Promise<string> {
  const [row] = await t.sql<{ id: string }>(
    `INSERT INTO webhook_deliveries (id, workspace_id, integration_id, kind, url, event_type, payload, status,
                                     attempts, last_status_code, last_error)
     VALUES (gen_random_uuid(), $1, $2, 'subscription', $3, 'lead.created', '{}', 'failed', 8, 502, 'Bad gateway')
     RETURNING id`,
    [workspaceId, integrationId, url],
  );
  return row.id;
}

describe('Integrations page', () => {
  it('shows each receiver URL (escaped, copyable) and links to the deliveries; types without one show none', async () => {
    const g = await googleIntegration('Google <ads>');
    const mail = await t.post(
      '/api/v1/integrations',
      {
        type: 'mailgun',
        name: 'Mail',
        config: { api_key: 'key-1234', domain: 'mg.example.com', region: 'us' },
      },
      { key },
    );
    expect(mail.status).toBe(201);
    expect(mail.body.data.receiver_url).toBeNull();
    const list = await admin.get('/admin/integrations');
    expect(list.status).toBe(200);
    // The URL is built from the request's own origin (or APP_URL); the token path is the integration's.
    expect(list.text).toMatch(new RegExp(`value="https?://[^"/]+${new URL(g.receiver_url).pathname}"`));
    expect(list.text).toContain('Google &lt;ads&gt;');
    expect(list.text).toContain(`href="/admin/integrations/${g.id}"`);
    expect(list.text).toMatch(/data-copy="receiver-\d+"/);
    expect(list.text).toContain(`id="receiver-${g.id}"`);
    expect(list.text).not.toContain(`id="receiver-${mail.body.data.id}"`);
  });

  it("lists an integration's receipts and deliveries, newest first; a failed one is retried from the page", async () => {
    const g = await googleIntegration('Google campaign');
    const received = await t.post(new URL(g.receiver_url).pathname, {
      lead_id: 'lead-admin-1',
      google_key: GOOGLE_KEY,
      user_column_data: [{ column_id: 'EMAIL', string_value: email('ada.g') }],
    });
    expect(received.status).toBe(200);
    const failedId = await failedDelivery(ws.id, g.id, 'https://hooks.example.com/path/secret-token?sig=1');

    const page = await admin.get(`/admin/integrations/${g.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${new URL(g.receiver_url).pathname}"`);
    expect(page.text).toContain('lead-admin-1'); // the inbound receipt, by Google's lead id
    expect(page.text).toContain(`>${received.body.lead_id}<`);
    expect(page.text).toMatch(/badge processed/);
    expect(page.text).toContain('hooks.example.com');
    expect(page.text).not.toContain('secret-token'); // a destination's path may carry a secret
    expect(page.text).toContain('HTTP 502');
    expect(page.text.indexOf(failedId)).toBeLessThan(page.text.indexOf('lead-admin-1')); // newest first

    const retried = await admin.post(
      `/admin/integrations/${g.id}/deliveries/${failedId}/retry`,
      {},
      { from: `/admin/integrations/${g.id}` },
    );
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe(`/admin/integrations/${g.id}?retried=1`);
    const [after] = await t.sql<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM webhook_deliveries WHERE id = $1`,
      [failedId],
    );
    expect(after).toEqual({ status: 'pending', attempts: 0 });
    const again = await admin.get(`/admin/integrations/${g.id}?retried=1`);
    expect(again.text).toContain('Queued');
    expect(again.text).not.toContain(`/deliveries/${failedId}/retry`); // pending: nothing to retry
  });

  it("another integration's or workspace's delivery, and malformed ids, are not found", async () => {
    const mine = await googleIntegration('Mine');
    const sibling = await googleIntegration('Sibling');
    const siblings = await failedDelivery(ws.id, sibling.id, 'https://a.example.com/');
    const other = await t.workspace('other');
    const theirs = await googleIntegration('Theirs', await other.key(['*']));
    const foreign = await failedDelivery(other.id, theirs.id, 'https://b.example.com/');
    const from = `/admin/integrations/${mine.id}`;
    for (const path of [
      `/admin/integrations/${mine.id}/deliveries/${siblings}/retry`,
      `/admin/integrations/${theirs.id}/deliveries/${foreign}/retry`,
      `/admin/integrations/${mine.id}/deliveries/not-a-uuid/retry`,
    ])
      expect((await admin.post(path, {}, { from })).status).toBe(404);
    expect((await admin.get(`/admin/integrations/${theirs.id}`)).status).toBe(404);
    expect((await admin.get('/admin/integrations/abc')).status).toBe(404);
    const [{ n }] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE id = ANY($1::uuid[]) AND status = 'failed'`,
      [[siblings, foreign]],
    );
    expect(n).toBe(2);
  });
});
