import { OPENAPI } from '../support/contract';
import { TestApp } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Ids = Record<string, string>;
type Post = (url: string, body: unknown) => Promise<Json>;
type Get = (url: string) => Promise<Json>;

const isoForm = (name: string) => ({
  name,
  fields: [{ name: 'email', label: 'Email', type: 'email', required: true, maps_to: 'email' }],
});

/**
 * How to make a record of workspace A for every path with ids, and a valid body for each write on it
 * (so that the only reason to refuse is the tenant). A path in the document without a fixture fails the test.
 */
const GOOGLE_KEY = 'iso-google-key';

const FIXTURES: Record<string, { create: (post: Post, get: Get) => Promise<Ids>; body?: Json }> = {
  '/api/v1/tags/{id}': {
    create: async (post) => ({ id: (await post('/api/v1/tags', { name: 'iso-tag' })).id }),
    body: { name: 'hijacked' },
  },
  '/api/v1/leads/{id}': {
    create: async (post) => ({ id: (await post('/api/v1/leads', { first_name: 'Iso' })).id }),
    body: { first_name: 'Hijacked' },
  },
  '/api/v1/leads/{id}/tags': {
    create: async (post) => ({ id: (await post('/api/v1/leads', { first_name: 'Iso2' })).id }),
    body: { tag: 'hijacked' },
  },
  '/api/v1/leads/{id}/tags/{tag}': {
    create: async (post) => ({
      id: (await post('/api/v1/leads', { first_name: 'Iso3', tags: ['vip'] })).id,
      tag: 'vip',
    }),
  },
  '/api/v1/pipelines/{id}': {
    create: async (post) => ({ id: (await post('/api/v1/pipelines', { name: 'Iso pipeline' })).id }),
    body: { name: 'Hijacked' },
  },
  '/api/v1/pipelines/{pipeline_id}/stages': {
    create: async (post) => ({
      pipeline_id: (await post('/api/v1/pipelines', { name: 'Iso pipeline 2' })).id,
    }),
    body: { name: 'Hijacked stage' },
  },
  '/api/v1/pipelines/{pipeline_id}/stages/{stage_id}': {
    create: async (post) => {
      const pipeline = await post('/api/v1/pipelines', { name: 'Iso pipeline 3' });
      const stage = await post(`/api/v1/pipelines/${pipeline.id}/stages`, { name: 'Iso stage' });
      return { pipeline_id: pipeline.id, stage_id: stage.id };
    },
    body: { name: 'Hijacked stage' },
  },
  '/api/v1/users/{id}': {
    create: async (post) => ({
      id: (await post('/api/v1/users', { name: 'Iso User', email: ['iso.user', 'example.com'].join('@') }))
        .id,
    }),
    body: { name: 'Hijacked' },
  },
  '/api/v1/integrations/{id}': {
    create: async (post) => ({
      id: (
        await post('/api/v1/integrations', {
          type: 'webhook',
          name: 'Iso hook',
          config: { url: 'https://93.184.216.34/hooks/catch/1/abc/', event_types: ['tag.added'] },
        })
      ).id,
    }),
    body: { name: 'Hijacked' },
  },
  '/api/v1/automations/{id}': {
    create: async (post) => ({
      id: (
        await post('/api/v1/automations', {
          name: 'Iso',
          is_active: false, // an active one would change the owner's leads while the matrix runs
          trigger: { type: 'lead.created', conditions: [] },
          actions: [{ type: 'set_status', status: 'contacted' }],
        })
      ).id,
    }),
    body: { name: 'Hijacked' },
  },
  '/api/v1/forms/{id}': {
    create: async (post) => ({ id: (await post('/api/v1/forms', isoForm('Iso form'))).id }),
    body: { name: 'Hijacked' },
  },
  '/api/v1/forms/{id}/submissions': {
    create: async (post) => ({ id: (await post('/api/v1/forms', isoForm('Iso form 2'))).id }),
    body: { email: ['hijacker', 'example.com'].join('@') },
  },
  '/api/v1/forms/{id}/submissions/{submission_id}': {
    create: async (post) => {
      const form = await post('/api/v1/forms', isoForm('Iso form 3'));
      const sub = await post(`/api/v1/forms/${form.id}/submissions`, {
        email: ['iso.sub', 'example.com'].join('@'),
      });
      return { id: form.id, submission_id: sub.id };
    },
  },
  '/api/v1/integrations/{id}/deliveries': {
    create: async (post) => ({
      id: (
        await post('/api/v1/integrations', {
          type: 'google_ads',
          name: 'Iso g',
          config: { webhook_key: 'k' },
        })
      ).id,
    }),
  },
  '/api/v1/deliveries/{id}/retry': {
    // A receipt of the owner's Google Ads integration (the receiver needs no key).
    create: async (post, get) => {
      const g = await post('/api/v1/integrations', {
        type: 'google_ads',
        name: 'Iso g2',
        config: { webhook_key: GOOGLE_KEY },
      });
      await post(new URL(g.receiver_url).pathname, {
        lead_id: 'iso-lead',
        google_key: GOOGLE_KEY,
        user_column_data: [{ column_id: 'EMAIL', string_value: ['iso.g', 'example.com'].join('@') }],
      });
      return { id: (await get(`/api/v1/integrations/${g.id}/deliveries`))[0].id };
    },
  },
  '/api/v1/automations/{id}/runs': {
    // Inactive: nothing runs, so the owner's snapshot of the (empty) run log stays put.
    create: async (post) => ({
      id: (
        await post('/api/v1/automations', {
          name: 'Iso runs',
          is_active: false,
          trigger: { type: 'lead.updated', conditions: [] },
          actions: [{ type: 'add_tag', tag: 'iso' }],
        })
      ).id,
    }),
  },
};

// Keyless operations (public forms) have no workspace to cross.
const keyless = (p: string) =>
  Object.values<Record<string, unknown>>(OPENAPI.paths[p]).every(
    (op) => Array.isArray(op.security) && !op.security.length,
  );
const ID_PATHS = Object.keys(OPENAPI.paths).filter((p) => p.includes('{') && !keyless(p));
const LIST_PATHS = Object.keys(OPENAPI.paths).filter(
  (p) =>
    !p.includes('{') &&
    OPENAPI.paths[p].get?.responses?.['200']?.content?.['application/json']?.schema?.$ref?.includes(
      'Paginated',
    ),
);

describe('tenant isolation, generated from the document', () => {
  let t: TestApp;
  let keyA: string;
  let keyB: string;
  const idsByPath: Record<string, Ids> = {};
  const snapshots: Record<string, string> = {};
  const url = (template: string, ids: Ids) =>
    template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(ids[name]));

  beforeAll(async () => {
    t = await TestApp.start();
    keyA = await (await t.workspace('owner')).key(['*'], { rateLimit: 1_000_000 });
    keyB = await (await t.workspace('intruder')).key(['*'], { rateLimit: 1_000_000 });
    const post: Post = async (u, body) => {
      const res = await t.post(u, body, { key: keyA });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`fixture POST ${u} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data ?? res.body;
    };
    const get: Get = async (u) => (await t.get(u, { key: keyA })).body.data;
    for (const path of ID_PATHS) {
      if (FIXTURES[path]) idsByPath[path] = await FIXTURES[path].create(post, get);
    }
    for (const [path, ids] of Object.entries(idsByPath)) {
      if (OPENAPI.paths[path].get)
        snapshots[path] = JSON.stringify((await t.get(url(path, ids), { key: keyA })).body.data);
    }
  });
  afterAll(() => t.close());

  it('has a fixture for every path with ids', () => {
    expect(ID_PATHS.filter((p) => !FIXTURES[p])).toEqual([]);
  });

  const operations = ID_PATHS.flatMap((path) =>
    Object.keys(OPENAPI.paths[path]).map((method) => [method.toUpperCase(), path] as const),
  );

  it.each(operations)("%s %s with another workspace's key → 404, nothing changed", async (method, path) => {
    const ids = idsByPath[path];
    expect(ids).toBeDefined();
    const body = method === 'GET' || method === 'DELETE' ? undefined : (FIXTURES[path].body ?? {});
    const res = await t.call(method, url(path, ids), { key: keyB, body });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    for (const [p, before] of Object.entries(snapshots)) {
      expect(JSON.stringify((await t.get(url(p, idsByPath[p]), { key: keyA })).body.data)).toBe(before);
    }
  });

  it.each(LIST_PATHS)('GET %s with the other key lists none of the owner’s rows', async (path) => {
    const mine = await t.get(`${path}?per_page=100`, { key: keyA });
    const theirs = await t.get(`${path}?per_page=100`, { key: keyB });
    expect(theirs.status).toBe(200);
    const ownerIds = new Set(mine.body.data.map((r: Json) => r.id));
    expect(theirs.body.data.filter((r: Json) => ownerIds.has(r.id))).toEqual([]);
  });
});
