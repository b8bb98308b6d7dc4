import { AppConfig } from '../../src/config/app-config';
import { TestApp } from '../support/test-app';
import { email } from '../support/form-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// A website posts straight to a published form: no key, JSON or a plain HTML form, honeypot, per-address limit.
describe('public website forms: POST /api/forms/{public_id}/submit', () => {
  let t: TestApp;
  let key: string;
  let form: Json;
  const FIELDS = [
    { name: 'name', label: 'Name', type: 'text', required: true, maps_to: 'first_name' },
    { name: 'email', label: 'Email', type: 'email', required: true, maps_to: 'email' },
    { name: 'consent', label: 'Consent', type: 'checkbox' },
  ];
  const url = (id = form.public_id) => `/api/forms/${id}/submit`;
  const htmlPost = (body: string, id?: string) =>
    t.call('POST', url(id), { raw: { body, type: 'application/x-www-form-urlencoded' } });
  const submissions = async (id = form.id) =>
    (await t.get(`/api/v1/forms/${id}/submissions`, { key })).body.data as Json[];

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('public-forms')).key(['*']);
    const res = await t.post(
      '/api/v1/forms',
      { name: 'Website', fields: FIELDS, is_public: true, success_url: 'https://www.example.com/thanks' },
      { key },
    );
    expect(res.status).toBe(201);
    form = res.body.data;
    expect(form).toMatchObject({
      is_public: true,
      success_url: 'https://www.example.com/thanks',
      public_id: expect.stringMatching(/^[a-f0-9]{32}$/),
    });
  });
  afterAll(() => t.close());

  it('an HTML form post (urlencoded, no key) creates the lead and redirects to success_url (303)', async () => {
    const res = await htmlPost(
      `name=Ada&email=${encodeURIComponent(email('ada.html'))}&consent=on&utm_source=ad`,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('https://www.example.com/thanks');
    const [sub] = await submissions();
    expect(sub.values).toEqual({ name: 'Ada', email: email('ada.html'), consent: true, utm_source: 'ad' });
    const lead = (await t.get(`/api/v1/leads/${sub.lead_id}`, { key })).body.data;
    expect(lead).toMatchObject({ first_name: 'Ada', email: email('ada.html'), source: 'form' });
  });

  it('JSON: 201 with the submission, the same de-duplication as the keyed endpoint, CORS answered', async () => {
    const body = { name: 'Bea', email: email('bea.json') };
    const first = await t.post(url(), body, { headers: { Origin: 'https://www.example.com' } });
    expect(first.status).toBe(201);
    expect(first.headers['access-control-allow-origin']).toBe('*');
    expect(first.body.data).toMatchObject({ form_id: form.id, is_duplicate: false });
    expect(first.headers.location).toBe(`/api/v1/forms/${form.id}/submissions/${first.body.data.id}`);
    const keyed = await t.post(`/api/v1/forms/${form.id}/submissions`, { ...body, name: 'Other' }, { key });
    expect(keyed.body.data).toMatchObject({ lead_id: first.body.data.lead_id, is_duplicate: true });
    const preflight = await t.call('OPTIONS', url(), {
      headers: { Origin: 'https://www.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });

  it('validation errors are the usual 422', async () => {
    const res = await t.post(url(), { name: 'No email' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({ email: ['The email field is required.'] });
  });

  it('a filled honeypot is acknowledged and nothing is stored', async () => {
    const before = (await submissions()).length;
    const html = await htmlPost(`name=Bot&email=${encodeURIComponent(email('bot'))}&_gotcha=http://spam`);
    expect(html.status).toBe(303);
    const json = await t.post(url(), { name: 'Bot', email: email('bot2'), _gotcha: 'x' });
    expect(json.status).toBe(204);
    expect((await submissions()).length).toBe(before);
    // An empty honeypot (what a person sends) is not stored either.
    await htmlPost(`name=Cy&email=${encodeURIComponent(email('cy'))}&_gotcha=`);
    expect((await submissions())[0].values).not.toHaveProperty('_gotcha');
  });

  it('an unpublished or unknown form is a 404; a private form keeps working with a key', async () => {
    const priv = (await t.post('/api/v1/forms', { name: 'Private', fields: FIELDS }, { key })).body.data;
    expect(priv.is_public).toBe(false);
    expect((await t.post(url(priv.public_id), { name: 'X', email: email('x') })).status).toBe(404);
    expect((await t.post(url('no-such-form'), { name: 'X', email: email('x') })).status).toBe(404);
    expect((await t.post(url('bad id!'), { name: 'X', email: email('x') })).status).toBe(404);
    await t.patch(`/api/v1/forms/${form.id}`, { is_public: false }, { key });
    expect((await t.post(url(), { name: 'X', email: email('x') })).status).toBe(404);
    await t.patch(`/api/v1/forms/${form.id}`, { is_public: true, success_url: null }, { key });
    // Without success_url an HTML post gets the JSON answer.
    expect((await htmlPost(`name=Di&email=${encodeURIComponent(email('di'))}`)).status).toBe(201);
  });

  it('urlencoded bodies are refused (415) everywhere else', async () => {
    const res = await t.call('POST', '/api/v1/leads', {
      key,
      raw: { body: 'first_name=Eve', type: 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('limits submissions per client address (429 with Retry-After)', async () => {
    const config = t.app.get(AppConfig);
    config.publicFormLimit = 1;
    try {
      const res = await t.post(url(), { name: 'Flood', email: email('flood') });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.code).toBe('RATE_LIMITED');
    } finally {
      config.publicFormLimit = 60;
    }
  });
});
