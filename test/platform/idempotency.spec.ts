import { Client } from 'pg';
import { IdempotencyPurger } from '../../src/common/idempotency/idempotency.module';
import { TestApp } from '../support/test-app';

// Idempotency-Key on every POST: Stripe semantics, scoped to the API key.
describe('Idempotency-Key', () => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let wsId: number;
  const leads = async (first: string) =>
    t.sql('SELECT id FROM leads WHERE workspace_id = $1 AND first_name = $2', [wsId, first]);
  const post = (url: string, body: unknown, idem: string, k = key) =>
    t.post(url, body, { key: k, headers: { 'Idempotency-Key': idem } });

  beforeAll(async () => {
    t = await TestApp.start();
    const ws = await t.workspace('idem');
    wsId = ws.id;
    key = await ws.key(['*'], { rateLimit: 100_000 });
    otherKey = await ws.key(['*'], { rateLimit: 100_000 });
  });
  afterAll(() => t.close());

  it('a retry gets the first response again (status, body, Location) with Idempotent-Replayed, and writes nothing', async () => {
    const first = await post('/api/v1/leads', { first_name: 'Once' }, 'k-once');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('/api/v1/leads', { first_name: 'Once' }, 'k-once');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body).toEqual(first.body);
    expect(await leads('Once')).toHaveLength(1);
    // Other POSTs too: a 200 (tag route) and inbound.
    const tag1 = await post(`/api/v1/leads/${first.body.data.id}/tags`, { tag: 'vip' }, 'k-tag');
    const tag2 = await post(`/api/v1/leads/${first.body.data.id}/tags`, { tag: 'vip' }, 'k-tag');
    expect([tag1.status, tag2.status, tag2.headers['idempotent-replayed']]).toEqual([200, 200, 'true']);
    const in1 = await post('/api/inbound/leads?tenant=idem', { email: 'idem@example.com' }, 'k-in');
    const in2 = await post('/api/inbound/leads?tenant=idem', { email: 'idem@example.com' }, 'k-in');
    expect([in1.status, in2.status]).toEqual([201, 201]);
    expect(in2.body).toEqual(in1.body);
  });

  it('the same key with a different request is a 422', async () => {
    await post('/api/v1/leads', { first_name: 'Body A' }, 'k-body');
    const res = await post('/api/v1/leads', { first_name: 'Body B' }, 'k-body');
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['Idempotency-Key']);
    expect(await leads('Body B')).toHaveLength(0);
    const otherPath = await post('/api/v1/tags', { first_name: 'Body A' }, 'k-body');
    expect(otherPath.status).toBe(422);
  });

  it('is scoped to the API key', async () => {
    const a = await post('/api/v1/leads', { first_name: 'Scoped' }, 'k-scope');
    const b = await post('/api/v1/leads', { first_name: 'Scoped' }, 'k-scope', otherKey);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body.data.id).not.toBe(a.body.data.id);
  });

  it('a failed request stores nothing: its retry runs again', async () => {
    const bad = await post('/api/v1/leads', { first_name: '' }, 'k-fail');
    expect(bad.status).toBe(422);
    const bad2 = await post('/api/v1/leads', { first_name: '' }, 'k-fail');
    expect(bad2.headers['idempotent-replayed']).toBeUndefined();
    const dup1 = await post('/api/v1/tags', { name: 'taken-idem' }, 'k-t1');
    const dup2 = await post('/api/v1/tags', { name: 'taken-idem' }, 'k-t2');
    expect([dup1.status, dup2.status]).toEqual([201, 422]);
  });

  it('refuses a malformed key', async () => {
    for (const bad of ['x'.repeat(256), 'has space', 'ü']) {
      const res = await t.post(
        '/api/v1/leads',
        { first_name: 'Bad key' },
        { key, headers: { 'Idempotency-Key': bad } },
      );
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['Idempotency-Key']);
    }
  });

  it('50 concurrent identical POSTs with one key: one lead, 50 identical responses', async () => {
    const all = await Promise.all(
      Array.from({ length: 50 }, () =>
        post('/api/v1/leads', { first_name: 'Fifty', tags: ['x'] }, 'k-fifty'),
      ),
    );
    expect(new Set(all.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(all.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(new Set(all.map((r) => r.headers.location)).size).toBe(1);
    expect(all.filter((r) => !r.headers['idempotent-replayed'])).toHaveLength(1);
    expect(await leads('Fifty')).toHaveLength(1);
  });

  it('a retry while the first request is still running waits, then gets 409 CONFLICT', async () => {
    const [{ id: keyId }] = await t.sql<{ id: number }>(
      'SELECT id FROM api_keys WHERE workspace_id = $1 ORDER BY id LIMIT 1',
      [wsId],
    );
    // Hold the key's lock as a first request in flight would.
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`idem:${keyId}:k-flight`]);
      const res = await post('/api/v1/leads', { first_name: 'In flight' }, 'k-flight');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONFLICT');
      expect(await leads('In flight')).toHaveLength(0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await post('/api/v1/leads', { first_name: 'In flight' }, 'k-flight')).status).toBe(201);
  });

  it('records expire after 24 hours: not replayed, and purged', async () => {
    const first = await post('/api/v1/leads', { first_name: 'Expired' }, 'k-expired');
    await t.sql(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-expired'`,
    );
    const again = await post('/api/v1/leads', { first_name: 'Expired' }, 'k-expired');
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.data.id).not.toBe(first.body.data.id);
    await t.sql(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-expired'`,
    );
    expect(await t.app.get(IdempotencyPurger).purge()).toBe(1);
    expect(await t.sql(`SELECT key FROM idempotency_keys WHERE key = 'k-expired'`)).toEqual([]);
  });
});
