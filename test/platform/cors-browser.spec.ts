import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { browserDescribe, launchChromium } from '../support/browser';
import { TestApp } from '../support/test-app';

const describeBrowser = browserDescribe(__filename);

/** A page on its own origin (another port) from which the tests call the API. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>dashboard</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describeBrowser('CORS from a real browser (headless Chromium)', () => {
  let browser: Browser;
  let page: { server: Server; origin: string };

  beforeAll(async () => {
    browser = await launchChromium();
    page = await pageServer();
  });
  afterAll(async () => {
    await browser?.close();
    page?.server.close();
  });

  /** Runs `fetch` in a page served from another origin; returns what the page could read, or the error. */
  async function fetchFromPage(api: string, key: string) {
    const tab = await browser.newPage();
    try {
      await tab.goto(page.origin);
      return await tab.evaluate(
        async ({ api, key }) => {
          try {
            const res = await fetch(`${api}/api/v1/leads`, {
              method: 'POST',
              headers: {
                Authorization: `Bearer ${key}`,
                'Content-Type': 'application/json',
                'Idempotency-Key': 'browser-1',
              },
              body: JSON.stringify({ first_name: 'From', last_name: 'Browser' }),
            });
            const list = await fetch(`${api}/api/v1/leads?per_page=5`, {
              headers: { Authorization: `Bearer ${key}` },
            });
            return {
              status: res.status,
              body: await res.json(),
              location: res.headers.get('Location'),
              remaining: list.headers.get('X-RateLimit-Remaining'),
              requestId: list.headers.get('X-Request-Id'),
              listed: ((await list.json()) as { data?: unknown[] }).data?.length ?? list.status,
            };
          } catch (e) {
            return { error: String(e) };
          }
        },
        { api, key },
      );
    } finally {
      await tab.close();
    }
  }

  it('a page on another origin creates and lists leads, reading the exposed headers', async () => {
    const t = await TestApp.start({ prism: false });
    try {
      const key = await (await t.workspace('browser')).key(['*']);
      const out = await fetchFromPage(`http://127.0.0.1:${await t.port()}`, key);
      expect(out).toMatchObject({
        status: 201,
        body: { data: { first_name: 'From', last_name: 'Browser' } },
        location: expect.stringMatching(/^\/api\/v1\/leads\/\d+$/),
        remaining: expect.stringMatching(/^\d+$/),
        requestId: expect.any(String),
        listed: 1,
      });
    } finally {
      await t.close();
    }
  });

  it('CORS_ORIGINS restricts the origins a browser may call from', async () => {
    // One app at a time: passport's strategy registry is process-wide, the last app started owns it.
    for (const [origins, allowed] of [
      [[page.origin], true],
      [['https://only.example.com'], false],
      [false, false],
    ] as const) {
      const app = await TestApp.start({
        corsOrigins: origins === false ? false : [...origins],
        prism: false,
      });
      try {
        const key = await (await app.workspace('browser-cors')).key();
        const out = await fetchFromPage(`http://127.0.0.1:${await app.port()}`, key);
        if (allowed) {
          expect(out).toMatchObject({ status: 201, listed: 1 });
        } else {
          expect(out).toEqual({ error: 'TypeError: Failed to fetch' });
          // The failed preflight stopped the write: nothing was created.
          expect(await app.sql('SELECT id FROM leads')).toEqual([]);
        }
      } finally {
        await app.close();
      }
    }
  }, 180_000);
});
