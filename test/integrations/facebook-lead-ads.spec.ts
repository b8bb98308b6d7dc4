import { engineTestConfig, waitFor } from '../engine/engine-support';
import { outsideServices } from '../../src/integrations/outside-services';
import { FakeGraph } from '../support/outside-fakes';
import { TestApp } from '../support/test-app';
import { createIntegration, deliveries, hubSignature, leadgenBody, pathOf } from './integration-support';

const PAGE = '123456789';
const APP_SECRET = 'fb-app-secret-0123456789';
const PAGE_TOKEN = 'EAAB-page-token-abcdef';
const email = (name: string) => [name, 'example.com'].join('@');

describe('Facebook Lead Ads receiver', () => {
  let t: TestApp;
  let graph: FakeGraph;
  let key: string;

  beforeAll(async () => {
    graph = await new FakeGraph(PAGE_TOKEN).listen();
    t = await TestApp.start({
      config: {
        ...engineTestConfig(),
        outsideServices: outsideServices({ LEADHUB_FACEBOOK_GRAPH_URL: graph.baseUrl }),
      },
    });
    key = await (await t.workspace('fb')).key();
  });
  afterAll(async () => {
    await t.close();
    await graph.close();
  });

  const facebook = (k = key, extra: Record<string, unknown> = {}) =>
    createIntegration(t, k, 'facebook_lead_ads', {
      page_id: PAGE,
      access_token: PAGE_TOKEN,
      app_secret: APP_SECRET,
      verify_token: 'my-verify-token',
      tags: ['facebook-ads'],
      field_mapping: { 'what_is_your_budget?': 'custom_fields.budget' },
      ...extra,
    });
  const post = (path: string, body: string, signature = hubSignature(APP_SECRET, body)) =>
    t.call('POST', path, {
      raw: { type: 'application/json', body },
      headers: { 'X-Hub-Signature-256': signature },
    });
  const receipts = (integrationId: number) =>
    t.sql<{ status: string; lead_id: number | null; attempts: number; last_error: string | null }>(
      'SELECT status, lead_id, attempts, last_error FROM integration_receipts WHERE integration_id = $1 ORDER BY created_at',
      [integrationId],
    );
  const leadsBy = (address: string) =>
    t.sql<{
      id: number;
      source: string;
      first_name: string;
      last_name: string;
      phone: string;
      custom_fields: object;
    }>('SELECT id, source, first_name, last_name, phone, custom_fields FROM leads WHERE lower(email) = $1', [
      address,
    ]);

  it("answers Meta's verification handshake only with the verify token", async () => {
    const fb = await facebook();
    const path = pathOf(fb.receiver_url);
    expect(fb.receiver_url).toMatch(/\/api\/v1\/receivers\/facebook\/[0-9a-f]{64}$/);
    const ok = await t.get(
      `${path}?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    const wrong = await t.get(`${path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`);
    expect(wrong.status).toBe(403);
    expect(
      (await t.get(`${path}?hub.mode=unsubscribe&hub.verify_token=my-verify-token&hub.challenge=1`)).status,
    ).toBe(403);
    expect((await t.get(`/api/v1/receivers/facebook/${'0'.repeat(64)}?hub.mode=subscribe`)).status).toBe(404);
  });

  it('fetches each announced lead from the Graph API and creates it once, through the intake', async () => {
    const fb = await facebook();
    graph.leads.set('9001', [
      { name: 'email', values: [email('ada.fb')] },
      { name: 'full_name', values: ['Ada Lovelace'] },
      { name: 'phone_number', values: ['+44 20 7946 0001'] },
      { name: 'what_is_your_budget?', values: ['10k'] },
      { name: 'city', values: ['London'] },
    ]);
    const body = leadgenBody(PAGE, '9001');
    const res = await post(pathOf(fb.receiver_url), body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ queued: 1 });
    await waitFor(
      () => receipts(fb.id),
      (r) => r[0]?.status === 'processed',
    );
    const [lead] = await leadsBy(email('ada.fb'));
    expect(lead).toMatchObject({
      source: 'facebook',
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+44 20 7946 0001',
      custom_fields: { budget: '10k', city: 'London' },
    });
    const tags = await t.sql(
      'SELECT t.name FROM lead_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.lead_id = $1',
      [lead.id],
    );
    expect(tags).toEqual([{ name: 'facebook-ads' }]);
    const graphCall = graph.requests.find((r) => r.path === '/v21.0/9001')!;
    expect(graphCall.query.get('access_token')).toBe(PAGE_TOKEN);

    // Meta delivers again (it does, at least once): nothing new.
    expect((await post(pathOf(fb.receiver_url), body)).body).toEqual({ queued: 0 });
    expect(await leadsBy(email('ada.fb'))).toHaveLength(1);
    const list = await deliveries(t, key, fb.id);
    expect(list).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        kind: 'facebook_lead',
        status: 'processed',
        external_id: '9001',
        lead_id: lead.id,
        is_duplicate: false,
        attempts: 1,
        next_attempt_at: null,
      }),
    ]);
  });

  it('a second leadgen id for the same person matches the existing lead', async () => {
    const fb = await facebook();
    graph.leads.set('9101', [
      { name: 'email', values: [email('dup.fb')] },
      { name: 'first_name', values: ['Dup'] },
    ]);
    graph.leads.set('9102', [
      { name: 'email', values: [email('DUP.fb')] },
      { name: 'company_name', values: ['Acme'] },
    ]);
    await post(pathOf(fb.receiver_url), leadgenBody(PAGE, '9101', '9102'));
    const rows = await waitFor(
      () => receipts(fb.id),
      (r) => r.length === 2 && r.every((x) => x.status === 'processed'),
    );
    const leads = await leadsBy(email('dup.fb'));
    expect(leads).toHaveLength(1);
    expect(rows.map((r) => r.lead_id)).toEqual([leads[0].id, leads[0].id]);
  });

  it('refuses a bad signature and stores nothing; an unknown or inactive receiver is a 404', async () => {
    const fb = await facebook();
    const body = leadgenBody(PAGE, '9201');
    for (const signature of [hubSignature('wrong-secret', body), 'sha256=', 'garbage', ''])
      expect((await post(pathOf(fb.receiver_url), body, signature)).status).toBe(403);
    // Signed over other bytes (the same JSON re-serialised with spaces) is not the body's signature.
    const spaced = body.replace(/,/g, ', ');
    expect((await post(pathOf(fb.receiver_url), spaced, hubSignature(APP_SECRET, body))).status).toBe(403);
    expect(await receipts(fb.id)).toEqual([]);
    expect((await post(`/api/v1/receivers/facebook/${'a'.repeat(64)}`, body)).status).toBe(404);
    await t.patch(`/api/v1/integrations/${fb.id}`, { is_active: false }, { key });
    expect((await post(pathOf(fb.receiver_url), body)).status).toBe(404);
    expect(await receipts(fb.id)).toEqual([]);
  });

  it('retries the Graph API while it fails, then takes the lead in once', async () => {
    const fb = await facebook();
    graph.leads.set('9301', [{ name: 'email', values: [email('retry.fb')] }]);
    graph.failNext(500, 2, {
      error: { message: 'An unexpected error has occurred.', code: 2, is_transient: true },
    });
    await post(pathOf(fb.receiver_url), leadgenBody(PAGE, '9301'));
    const [row] = await waitFor(
      () => receipts(fb.id),
      (r) => r[0]?.status === 'processed',
    );
    expect(row.attempts).toBe(3);
    expect(await leadsBy(email('retry.fb'))).toHaveLength(1);
  });

  it('a final Graph error fails the receipt; fixed and retried by hand, the lead arrives', async () => {
    const fb = await facebook(key, { access_token: 'expired-token' });
    graph.leads.set('9401', [{ name: 'email', values: [email('manual.fb')] }]);
    await post(pathOf(fb.receiver_url), leadgenBody(PAGE, '9401'));
    const [row] = await waitFor(
      () => receipts(fb.id),
      (r) => r[0]?.status === 'failed',
    );
    expect(row.last_error).toMatch(/HTTP 400 \(code 190\)/);
    expect(row.last_error).not.toContain('expired-token');
    const [failed] = await deliveries(t, key, fb.id);
    expect(failed).toMatchObject({ status: 'failed', last_status_code: 400 });
    await t.patch(
      `/api/v1/integrations/${fb.id}`,
      { config: { ...fb.config, access_token: PAGE_TOKEN } },
      { key },
    );
    const retried = await t.post(`/api/v1/deliveries/${failed.id}/retry`, undefined, { key });
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    await waitFor(
      () => receipts(fb.id),
      (r) => r[0]?.status === 'processed',
    );
    expect(await leadsBy(email('manual.fb'))).toHaveLength(1);
    expect((await t.post(`/api/v1/deliveries/${failed.id}/retry`, undefined, { key })).status).toBe(422);
  });

  it("keeps each workspace's receivers and receipts to itself", async () => {
    const mine = await facebook();
    const otherKey = await (await t.workspace('fb-other')).key();
    const theirs = await facebook(otherKey);
    expect(theirs.receiver_url).not.toBe(mine.receiver_url);
    graph.leads.set('9501', [{ name: 'email', values: [email('iso.fb')] }]);
    await post(pathOf(theirs.receiver_url), leadgenBody(PAGE, '9501'));
    await waitFor(
      () => receipts(theirs.id),
      (r) => r[0]?.status === 'processed',
    );
    const [lead] = await leadsBy(email('iso.fb'));
    expect((await t.get(`/api/v1/leads/${lead.id}`, { key })).status).toBe(404);
    expect((await t.get(`/api/v1/integrations/${theirs.id}/deliveries`, { key })).status).toBe(404);
    const [receipt] = await deliveries(t, otherKey, theirs.id);
    expect((await t.post(`/api/v1/deliveries/${receipt.id}/retry`, undefined, { key })).status).toBe(404);
    expect(await deliveries(t, key, mine.id)).toEqual([]);
  });
});
