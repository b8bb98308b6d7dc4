import { createLeadHubClient, type RetryInfo } from '../../clients/typescript/src/index.js';
import { createTestDatabase } from '../support/db';
import { TcpProxy } from '../support/tcp-proxy';
import { TestApp } from '../support/test-app';

/** The app's own 503 (its database cut off), retried by the client until the database is back. */
describe('TypeScript client: database outage', () => {
  let t: TestApp;
  let db: TcpProxy;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const real = await createTestDatabase();
    drop = real.drop;
    const proxied = await TcpProxy.before(real.url, 5432);
    db = proxied.proxy;
    // The outage is a refusal (fails at once), so the timeouts stay the tests' default: a loaded CI machine may
    // take over a second to hand out a connection.
    t = await TestApp.start({ databaseUrl: proxied.url, prism: false });
  });
  afterAll(async () => {
    await t.close();
    await db.close();
    await drop();
  });

  it('a create during an outage is retried after the 503s and lands once', async () => {
    const key = await (await t.workspace('ts-client-outage')).key(['*']);
    const retries: RetryInfo[] = [];
    const client = createLeadHubClient({
      baseUrl: `http://127.0.0.1:${await t.port()}`,
      apiKey: key,
      retry: {
        maxRetries: 30,
        baseDelayMs: 100,
        maxDelayMs: 500,
        onRetry: (info) => {
          retries.push(info);
          if (retries.length === 2) db.forward(); // the database comes back after two failed attempts
        },
      },
    });
    await client.get('/api/v1/tags'); // the key is cached: the outage answers 503, not 401
    db.refuse();
    const created = await client.post('/api/v1/leads', {
      body: { first_name: 'Outage', email: 'outage@example.com' },
    });
    expect(created.data.email).toBe('outage@example.com');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.slice(0, 2).map((r) => r.status)).toEqual([503, 503]);
    const list = await client.get('/api/v1/leads', { params: { query: { search: 'outage@example.com' } } });
    expect(list.meta.total).toBe(1);
  });
});
