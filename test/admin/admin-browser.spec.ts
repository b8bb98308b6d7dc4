import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AdminSetupService } from '../../src/admin/setup.service';
import { getStorageToken, ThrottlerStorage } from '@nestjs/throttler';
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_WINDOW_MS } from '../../src/admin/sign-in.service';
import { BootstrapService } from '../../src/api-keys/bootstrap.service';
import { browserDescribe, launchChromium } from '../support/browser';
import { TestApp } from '../support/test-app';
import { createAdmin, PASSWORD } from './admin-client';

const describeBrowser = browserDescribe(__filename);

/** Screenshots of every page, for a person to look at (git-ignored). */
const SHOTS = join(__dirname, '../../test-output/admin');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const KEY_TTL_MS = 300;

describeBrowser('the admin panel in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const cspReports: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await TestApp.start({ config: { keyCacheTtlMs: KEY_TTL_MS } });
    base = `http://127.0.0.1:${await t.port()}`;
    browser = await launchChromium();
    context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page = await context.newPage();
    page.setDefaultTimeout(8000);
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspReports.push(m.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** axe-core in the page (no serious or critical violation), then a screenshot. */
  async function check(name: string, p: Page = page) {
    await p.evaluate(AXE); // through the debugger protocol: the page's CSP rightly forbids injected scripts
    const violations = await p.evaluate(async () => {
      const w = window as unknown as {
        axe: {
          run(): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      };
      const r = await w.axe.run();
      return r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
    await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function api(key: string) {
    const res = await fetch(`${base}/api/v1/leads`, {
      headers: { Authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res;
  }
  async function eventually(what: () => Promise<boolean>, ms: number) {
    const end = Date.now() + ms;
    while (!(await what())) {
      if (Date.now() > end) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('setup link → first admin → sign in → key with two scopes and limit 5 → copy → API → edit → revoke → 401', async () => {
    const first = await t.app.get(BootstrapService).run();
    const token = await t.app.get(AdminSetupService).issue(first.workspaceId!);

    await page.goto(`${base}/admin/setup?token=${token}`);
    await check('setup');
    await page.fill('#name', 'Ada Admin');
    await page.fill('#email', 'ada@example.com');
    await page.fill('#password', PASSWORD);
    await page.click('button:has-text("Create admin")');
    await page.waitForURL('**/admin/sign-in?done=setup');
    await check('sign-in');

    await page.fill('#email', 'ada@example.com');
    await page.fill('#password', PASSWORD);
    await page.click('button:has-text("Sign in")');
    await page.waitForURL('**/admin/overview');
    await check('overview');
    const session = (await context.cookies()).find((c) => c.name === 'lh_admin_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/admin' });

    // Keyboard: the first Tab lands on the skip link, with a visible focus ring.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ text: 'Skip to content', outline: 'solid' });

    await page.goto(`${base}/admin/keys`);
    await check('keys');
    await page.click('text=Create an API key');
    await check('key-new');
    await page.fill('#name', 'Browser key');
    await page.check('#scope-read-leads');
    await page.check('#scope-write-leads');
    await page.fill('#rate_limit', '5');
    await page.click('button:has-text("Create key")');
    await page.waitForSelector('#new-key');
    await check('key-created');
    const shown = await page.inputValue('#new-key');
    expect(shown).toMatch(/^lh_[A-Za-z0-9]{32,}$/);
    await page.click('button:has-text("Copy to clipboard")');
    await page.waitForSelector('.copy-status:has-text("Copied.")');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(shown);

    const ok = await api(copied);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-limit')).toBe('5');

    await page.goto(`${base}/admin/keys`);
    const row = page.locator('tr', { hasText: 'Browser key' });
    expect((await row.locator('td.used').textContent())?.trim()).toBe('1');
    await check('keys-in-use');
    await page.click('a[aria-label="Edit Browser key"]');
    await check('key-edit');
    await page.fill('#rate_limit', '8');
    await page.click('button:has-text("Save changes")');
    await page.waitForURL('**/admin/keys?updated=*');
    await eventually(async () => (await api(copied)).headers.get('x-ratelimit-limit') === '8', 5000);

    page.once('dialog', (d) => void d.accept());
    await page.click('button[aria-label="Revoke Browser key"]');
    await page.waitForURL('**/admin/keys?revoked=*');
    const revokedAt = Date.now();
    await eventually(async () => (await api(copied)).status === 401, KEY_TTL_MS + 2000);
    expect(Date.now() - revokedAt).toBeLessThan(KEY_TTL_MS + 2000);

    // Without the confirm dialog (no JavaScript) the same button leads to a confirmation page.
    await page.goto(`${base}/admin/keys`);
    // (the forms are replaced by copies: without the attribute and without the script's listener)
    await page.evaluate(() =>
      document.querySelectorAll('form[data-confirm]').forEach((f) => {
        f.removeAttribute('data-confirm');
        f.replaceWith(f.cloneNode(true));
      }),
    );
    await page.click('button[aria-label="Revoke first-start key"]');
    await page.waitForSelector('text=This cannot be undone');
    await check('key-revoke-confirm');
    await page.click('a:has-text("Cancel")');
    await page.waitForURL('**/admin/keys');
    expect(
      await t.sql(`SELECT 1 FROM api_keys WHERE name = 'first-start key' AND revoked_at IS NULL`),
    ).toHaveLength(1);
  }, 60_000);

  it('keeps the last admin, refuses a form without its CSRF token, connects an integration', async () => {
    await page.goto(`${base}/admin/users`);
    await check('users');
    const me = page.locator('tr', { hasText: '(you)' });
    await me.locator('input[type=checkbox]').uncheck();
    await me.locator('button:has-text("Save")').click();
    await page.waitForSelector('text=last active admin');
    await check('users-last-admin');

    await page.goto(`${base}/admin/users`);
    await page.evaluate(() => document.querySelectorAll('input[name="_csrf"]').forEach((i) => i.remove()));
    await page.fill('#new-name', 'Sam');
    await page.fill('#new-email', 'sam@example.com');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/admin/users')),
      page.click('button:has-text("Add user")'),
    ]);
    expect(refused.status()).toBe(403);
    await check('forbidden');
    expect(await t.sql(`SELECT 1 FROM users WHERE email = 'sam@example.com'`)).toHaveLength(0);

    await page.goto(`${base}/admin/integrations`);
    await check('integrations');
    await page.click('a:has-text("Mailgun")');
    await check('integration-new');
    await page.fill('#cfg-api_key', 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0');
    await page.fill('#cfg-domain', 'mg.example.com');
    await page.click('button:has-text("Connect")');
    await page.waitForURL('**/admin/integrations?created=1');
    expect(await page.textContent('main')).toContain('••••eol0');
    expect(await page.content()).not.toContain('key-3ax6xnjp29jd6fds4gc373sgvjxteol0');
    await page.click('a[aria-label^="Deliveries of"]');
    await check('integration-deliveries');
    expect(await page.textContent('main')).toContain('Nothing sent or received yet.');
  }, 60_000);

  it('throttles sign-in, signs out, and never needed an inline script', async () => {
    await page.click('button:has-text("Sign out")');
    await page.waitForURL('**/admin/sign-in?done=out');
    const [ws] = await t.sql<{ id: number }>(`SELECT id FROM workspaces WHERE slug = 'default'`);
    await createAdmin(t, ws.id, 'victim@example.com');
    // The counting itself is proven over HTTP (admin-http.spec.ts); here the account's window is filled up to its
    // last attempt directly (no argon2 per try), then the browser uses it and sees the refusal.
    const storage = t.app.get<ThrottlerStorage>(getStorageToken());
    for (let i = 0; i < SIGN_IN_PER_ACCOUNT - 1; i++)
      await storage.increment(
        'admin-signin:acct:victim@example.com',
        SIGN_IN_WINDOW_MS,
        SIGN_IN_PER_ACCOUNT,
        0,
        'admin-signin',
      );
    let last = 0;
    for (const password of ['wrong guess', PASSWORD]) {
      await page.fill('#email', 'victim@example.com');
      await page.fill('#password', password);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.click('button:has-text("Sign in")'),
      ]);
      last = res.status();
      if (password !== PASSWORD) expect(last).toBe(401);
    }
    expect(last).toBe(429);
    await page.waitForSelector('text=Too many sign-in attempts');
    await check('sign-in-throttled');
    expect(cspReports).toEqual([]);
  }, 60_000);
});
