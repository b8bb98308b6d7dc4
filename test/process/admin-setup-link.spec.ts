import { cli, ServerProcess, tempDataDir } from '../support/server-process';

jest.setTimeout(120_000);

describe('first start: the banner’s one-time admin setup link', () => {
  it('is printed beside the key and creates the first admin of workspace "default", once', async () => {
    const env = { DATA_DIR: tempDataDir() };
    const s = await ServerProcess.start(env);
    try {
      await s.waitFor(/└─+┘/, 10_000);
      const banner = s.output.slice(s.output.lastIndexOf('┌'));
      const link = /(http:\/\/\S+\/admin\/setup\?token=lhs_[A-Za-z0-9_-]{43})/.exec(banner)?.[1];
      expect(link).toBeDefined();
      expect(link!.startsWith(`http://127.0.0.1:${s.port}/admin/setup`)).toBe(true);

      const page = await fetch(link!);
      expect(page.status).toBe(200);
      const cookie = page.headers.get('set-cookie')!.split(';')[0];
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
      const token = new URL(link!).searchParams.get('token')!;
      const form = new URLSearchParams({
        _csrf: csrf,
        token,
        name: 'Ada',
        email: 'ada@example.com',
        password: 'a long enough password',
      });
      const post = () =>
        fetch(s.url('/admin/setup'), {
          method: 'POST',
          headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          redirect: 'manual',
        });
      const created = await post();
      expect(created.status).toBe(303);
      expect(created.headers.get('location')).toBe('/admin/sign-in?done=setup');
      expect((await post()).status).toBe(422); // used
      expect((await fetch(link!)).status).toBe(404);

      // Lost or expired: the CLI prints a new link (to the configured port; APP_URL when set).
      const fresh = await cli(['admin:setup-link', '--workspace', 'default'], {
        ...env,
        PORT: String(s.port),
      });
      expect(fresh).toMatchObject({ workspace: 'default', valid_hours: 24 });
      expect(fresh.url).toMatch(new RegExp(`^http://localhost:${s.port}/admin/setup\\?token=lhs_`));
      const page2 = await fetch(fresh.url.replace('localhost', '127.0.0.1'));
      expect(page2.status).toBe(200);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});
