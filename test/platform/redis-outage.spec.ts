import { Logger } from '@nestjs/common';
import { pollReady } from '../support/readiness';
import { TcpProxy } from '../support/tcp-proxy';
import { TestApp } from '../support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

/** Rate limits shared through Redis must not take the API down with Redis (the machine's Redis stays up). */
(REDIS_URL ? describe : describe.skip)('Redis outages', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let key: string;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    const proxied = await TcpProxy.before(REDIS_URL!, 6379);
    proxy = proxied.proxy;
    t = await TestApp.start({ redisUrl: proxied.url });
    key = await (await t.workspace('redis-outage')).key(['*'], { rateLimit: 1000 });
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterAll(async () => {
    warn.mockRestore();
    await t.close();
    await proxy.close();
  });

  it('counts in-process while Redis refuses, warns once, reports degraded, and returns to Redis by itself', async () => {
    const before = await t.get('/api/v1/tags', { key });
    expect(before.status).toBe(200);
    expect(before.headers['x-ratelimit-remaining']).toBe('999');
    expect((await pollReady(t, (b) => b.redis === 'ok')).body).toMatchObject({ status: 'ok', redis: 'ok' });

    proxy.refuse();
    warn.mockClear();
    for (let i = 0; i < 20; i++) {
      const res = await t.get('/api/v1/tags', { key });
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('1000');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(999 - i)); // a fresh in-process window
    }
    const limited = await (await t.workspace('redis-outage-2')).key(['*'], { rateLimit: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await t.get('/api/v1/tags', { key: limited })).status);
    expect(statuses).toEqual([200, 200, 429]); // still limited meanwhile
    const ready = await pollReady(t, (b) => b.redis === 'unavailable');
    expect(ready.status).toBe(200); // this instance still serves
    expect(ready.body).toMatchObject({ status: 'degraded', database: 'ok', redis: 'unavailable' });
    const warnings = warn.mock.calls.filter(([m]) => /Redis is not answering/.test(String(m)));
    expect(warnings).toHaveLength(1);

    proxy.forward();
    expect((await pollReady(t, (b) => b.redis === 'ok')).body).toMatchObject({ status: 'ok', redis: 'ok' });
    let after;
    for (let i = 0; i < 50; i++) {
      after = await t.get('/api/v1/tags', { key });
      if (after.headers['x-ratelimit-remaining'] === '998') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after!.headers['x-ratelimit-remaining']).toBe('998'); // the Redis counter again, where it was left
  });

  it('a blackholed Redis (connects, never answers) costs no request', async () => {
    proxy.blackhole();
    try {
      for (let i = 0; i < 10; i++) {
        const res = await t.get('/api/v1/tags', { key });
        expect(res.status).toBe(200);
      }
      expect((await pollReady(t, (b) => b.redis === 'unavailable')).body).toMatchObject({
        status: 'degraded',
      });
    } finally {
      proxy.forward();
    }
    expect((await pollReady(t, (b) => b.redis === 'ok')).body.redis).toBe('ok');
  });
});
