import { TestApp } from '../support/test-app';

// What generic HTTP clients and browsers rely on: CORS, 405 with Allow, empty JSON bodies, Location.
describe('HTTP behaviour for real clients', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('http-acme')).key(['*']);
  });
  afterAll(() => t.close());

  describe('CORS (default: any origin)', () => {
    it('answers a preflight for /api/* with 204 and the allowed headers, before authentication', async () => {
      const res = await t.call('OPTIONS', '/api/v1/leads', {
        headers: {
          Origin: 'https://dashboard.example.com',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, idempotency-key',
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-headers']).toBe(
        'Authorization, Content-Type, Idempotency-Key, X-Request-Id',
      );
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('exposes the rate-limit headers, Retry-After, X-Request-Id and Location on actual responses', async () => {
      const res = await t.get('/api/v1/leads', { key, headers: { Origin: 'https://x.example' } });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const exposed = res.headers['access-control-expose-headers'].split(', ');
      expect(exposed).toEqual(
        expect.arrayContaining([
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
          'Retry-After',
          'X-Request-Id',
          'Location',
        ]),
      );
      // Errors too (a browser must be able to read a 401's envelope).
      const denied = await t.get('/api/v1/leads', { headers: { Origin: 'https://x.example' } });
      expect(denied.status).toBe(401);
      expect(denied.headers['access-control-allow-origin']).toBe('*');
    });

    it('does not add CORS to the documentation pages', async () => {
      const res = await t.call('OPTIONS', '/docs', {
        headers: { Origin: 'https://x.example', 'Access-Control-Request-Method': 'GET' },
        unchecked: true,
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('405 METHOD_NOT_ALLOWED', () => {
    it.each([
      ['PATCH', '/api/v1/leads', 'GET, HEAD, POST'],
      ['POST', '/api/v1/leads/12', 'DELETE, GET, HEAD, PATCH, PUT'],
      ['PUT', '/api/v1/leads/12/tags', 'POST'],
      ['DELETE', '/api/v1/health', 'GET, HEAD'],
      ['GET', '/api/inbound/leads', 'POST'],
      ['POST', '/api/v1/integrations/types', 'DELETE, GET, HEAD, PATCH, PUT'],
    ])('%s %s → 405 with Allow: %s', async (method, url, allow) => {
      const res = await t.call(method, url, { key });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body).toEqual({
        status: 'error',
        code: 'METHOD_NOT_ALLOWED',
        message: `The ${method} method is not supported for this path. Allowed: ${allow}.`,
      });
    });

    it('an unknown path stays a 404', async () => {
      const res = await t.call('PATCH', '/api/v1/nothing-here', { key });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });

  describe('Content-Type: application/json with no body', () => {
    const json = { 'Content-Type': 'application/json' };
    it('is no body on DELETE, GET and the tag routes', async () => {
      const lead = (await t.post('/api/v1/leads', { first_name: 'Ann', tags: ['vip'] }, { key })).body.data;
      expect(
        (
          await t.call('GET', `/api/v1/leads/${lead.id}`, {
            key,
            raw: { body: '', type: 'application/json' },
          })
        ).status,
      ).toBe(200);
      const untag = await t.call('DELETE', `/api/v1/leads/${lead.id}/tags/vip`, {
        key,
        raw: { body: '', type: 'application/json' },
      });
      expect(untag.status).toBe(200);
      expect(untag.body.data.tags).toEqual([]);
      const del = await t.call('DELETE', `/api/v1/leads/${lead.id}`, {
        key,
        headers: json,
        raw: { body: '', type: 'application/json' },
      });
      expect(del.status).toBe(204);
    });

    it('an empty body where one is required is a 422 naming the body, after authentication', async () => {
      const noKey = await t.call('POST', '/api/v1/leads', { raw: { body: '', type: 'application/json' } });
      expect(noKey.status).toBe(401);
      const res = await t.call('POST', '/api/v1/leads', { key, raw: { body: '', type: 'application/json' } });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual({ body: ['The request body must be a JSON object.'] });
    });

    it('malformed JSON is still a 400', async () => {
      const res = await t.call('POST', '/api/v1/leads', {
        key,
        raw: { body: '{"first_name":', type: 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
    });
  });

  describe('Location on every 201', () => {
    it('points at the new record, which answers GET', async () => {
      const pipeline = await t.post('/api/v1/pipelines', { name: 'Loc' }, { key });
      const stage = await t.post(
        `/api/v1/pipelines/${pipeline.body.data.id}/stages`,
        { name: 'S1' },
        { key },
      );
      const form = await t.post(
        '/api/v1/forms',
        {
          name: 'Loc form',
          fields: [{ name: 'email', label: 'Email', type: 'email', required: true, maps_to: 'email' }],
        },
        { key },
      );
      const created = [
        pipeline,
        stage,
        form,
        await t.post('/api/v1/leads', { first_name: 'Loc' }, { key }),
        await t.post('/api/v1/tags', { name: 'loc' }, { key }),
        await t.post('/api/v1/users', { name: 'Loc', email: 'loc@example.com' }, { key }),
        await t.post(`/api/v1/forms/${form.body.data.id}/submissions`, { email: 'sub@example.com' }, { key }),
        await t.post(
          '/api/v1/automations',
          {
            name: 'Loc',
            trigger: { type: 'lead.created' },
            actions: [{ type: 'add_tag', tag: 'x' }],
          },
          { key },
        ),
        await t.post(
          '/api/v1/integrations',
          {
            type: 'mailgun',
            name: 'Loc',
            config: {
              api_key: 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0',
              domain: 'mg.example.com',
              region: 'eu',
            },
          },
          { key },
        ),
      ];
      for (const res of created) {
        expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 201 });
        expect(res.headers.location).toMatch(new RegExp(`/${res.body.data.id}$`));
        const show = await t.get(res.headers.location, { key });
        expect(show.status).toBe(200);
        expect(show.body.data.id).toBe(res.body.data.id);
      }
      const inbound = await t.post(
        '/api/inbound/leads?tenant=http-acme',
        { email: 'in@example.com' },
        { key },
      );
      expect(inbound.status).toBe(201);
      expect(inbound.headers.location).toBe(`/api/v1/leads/${inbound.body.lead_id}`);
      const dup = await t.post('/api/inbound/leads?tenant=http-acme', { email: 'in@example.com' }, { key });
      expect(dup.status).toBe(200);
      expect(dup.headers.location).toBeUndefined();
    });
  });
});
