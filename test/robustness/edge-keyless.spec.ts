import { TestApp } from '../support/test-app';

/** Keyless operations (health, public forms, receivers) cost no key lookup; a flood of them is bounded per address. */
describe('the per-address budget of keyless operations', () => {
  let t: TestApp;
  let key: string;
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });

  beforeAll(async () => {
    t = await TestApp.start({ edge: { keylessPerMinute: 8, trustProxy: true } });
    key = await (await t.workspace('keyless')).key(['*']);
  });
  afterAll(() => t.close());

  it('429 with Retry-After once an address has spent it, on every keyless operation; other addresses and keys go on', async () => {
    const flood = from('203.0.113.7');
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const path = i % 2 ? '/api/v1/health' : '/api/v1/health/ready';
      seen.push((await t.get(path, { headers: flood, direct: true })).status);
    }
    expect(seen).toEqual(Array(8).fill(200));

    const refused = await t.get('/api/v1/health/ready', { headers: flood, direct: true });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      status: 'error',
      code: 'RATE_LIMITED',
      message: 'Too many requests from this address; try again later.',
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The same budget covers the other keyless operations: a public form post and a receiver.
    const form = await t.post(
      '/api/forms/0123456789abcdef0123456789abcdef/submit',
      { email: ['a', 'example.com'].join('@') },
      { headers: flood, direct: true },
    );
    expect(form.status).toBe(429);
    const receiver = await t.post(
      `/api/v1/receivers/google-ads/${'a'.repeat(64)}`,
      { lead_id: 'x', google_key: 'k', user_column_data: [] },
      { headers: flood, direct: true },
    );
    expect(receiver.status).toBe(429);

    // Another address has its own budget; a keyed request from the flooding address is not keyless.
    expect((await t.get('/api/v1/health', { headers: from('203.0.113.8'), direct: true })).status).toBe(200);
    expect((await t.get('/api/v1/tags', { key, headers: flood, direct: true })).status).toBe(200);
  });
});
