import { randomBytes } from 'node:crypto';
import { SIGN_IN_PER_ACCOUNT } from '../../src/admin/sign-in.service';
import { TestApp } from '../support/test-app';
import { AdminClient, createAdmin } from './admin-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

(REDIS_URL ? describe : describe.skip)(
  'admin sign-in throttling shared through Redis by two instances',
  () => {
    let one: TestApp;
    let two: TestApp;

    beforeAll(async () => {
      one = await TestApp.start({ redisUrl: REDIS_URL });
      two = await TestApp.start({ redisUrl: REDIS_URL, databaseUrl: one.databaseUrl });
    });
    afterAll(async () => {
      await two?.app.close();
      await one?.close();
    });

    it('counts an account’s attempts on every instance', async () => {
      const ws = await one.workspace('default');
      const from = {
        'X-Forwarded-For': `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`,
      };
      const email = `admin-${randomBytes(6).toString('hex')}@example.com`;
      await createAdmin(one, ws.id, email);
      for (let i = 0; i < SIGN_IN_PER_ACCOUNT; i++) {
        const t = i % 2 ? one : two;
        expect((await new AdminClient(t.app.getHttpServer(), from).signIn(email, 'guess')).status).toBe(401);
      }
      expect((await new AdminClient(one.app.getHttpServer(), from).signIn(email)).status).toBe(429);
      expect((await new AdminClient(two.app.getHttpServer(), from).signIn(email)).status).toBe(429);
    });
  },
);
