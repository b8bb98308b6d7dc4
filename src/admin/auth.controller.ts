import { Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ADMIN_PATH,
  clearCookie,
  field,
  FormBody,
  readCookie,
  SESSION_COOKIE,
  setCookie,
} from './admin-http';
import { AdminController, Anonymous } from './admin.guard';
import { anonymousCsrf } from './csrf';
import { SESSION_ABSOLUTE_MS, AdminSessionService } from './session.service';
import { AdminSetupService, SetupInputError } from './setup.service';
import { SignInService } from './sign-in.service';
import { redirect, sendPage } from './views';

const SIGN_IN_FAILED = 'The email or password is not correct, or the account is not an active admin.';

/** Sign-in, sign-out and the first admin's setup link. */
@AdminController('admin')
export class AdminAuthController {
  constructor(
    private readonly sessions: AdminSessionService,
    private readonly signIn: SignInService,
    private readonly setup: AdminSetupService,
  ) {}

  @Get()
  @Anonymous()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE));
    return redirect(reply, `${ADMIN_PATH}/${session ? 'overview' : 'sign-in'}`);
  }

  @Get('sign-in')
  @Anonymous()
  signInPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('done') done?: string) {
    const notice =
      done === 'setup'
        ? 'Your admin account is ready. Sign in with it.'
        : done === 'out'
          ? 'You are signed out.'
          : undefined;
    return sendPage(reply, 'sign-in', {
      title: 'Sign in',
      csrf: anonymousCsrf(req, reply),
      notice,
      email: '',
    });
  }

  @Post('sign-in')
  @Anonymous()
  async signInPost(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const body = req.body as FormBody;
    const email = field(body, 'email');
    const result = await this.signIn.attempt(req.ip, email, field(body, 'password'));
    if (!result.ok) {
      const csrf = anonymousCsrf(req, reply);
      if (result.throttled) {
        reply.header('Retry-After', String(result.retryAfterS));
        const minutes = Math.ceil(result.retryAfterS / 60);
        const error = `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
        return sendPage(reply, 'sign-in', { title: 'Sign in', csrf, error, email }, 429);
      }
      return sendPage(reply, 'sign-in', { title: 'Sign in', csrf, error: SIGN_IN_FAILED, email }, 401);
    }
    const token = await this.sessions.create(result.userId);
    setCookie(req, reply, SESSION_COOKIE, token, Math.floor(SESSION_ABSOLUTE_MS / 1000));
    return redirect(reply, `${ADMIN_PATH}/overview`);
  }

  @Post('sign-out')
  async signOut(
    @Req() req: FastifyRequest & { adminSession?: { tokenHash: string } },
    @Res() reply: FastifyReply,
  ) {
    await this.sessions.destroy(req.adminSession!.tokenHash);
    clearCookie(req, reply, SESSION_COOKIE);
    return redirect(reply, `${ADMIN_PATH}/sign-in?done=out`);
  }

  @Get('setup')
  @Anonymous()
  async setupPage(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('token') token?: string) {
    const valid = typeof token === 'string' && (await this.setup.isValid(token));
    return sendPage(
      reply,
      'setup',
      {
        title: 'Create the first admin',
        csrf: anonymousCsrf(req, reply),
        token: valid ? token : '',
        valid,
        values: {},
      },
      valid ? 200 : 404,
    );
  }

  @Post('setup')
  @Anonymous()
  async setupPost(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const body = req.body as FormBody;
    const token = field(body, 'token');
    const values = { name: field(body, 'name'), email: field(body, 'email') };
    try {
      await this.setup.complete(token, { ...values, password: field(body, 'password') });
    } catch (err) {
      if (!(err instanceof SetupInputError)) throw err;
      const valid = await this.setup.isValid(token);
      return sendPage(
        reply,
        'setup',
        {
          title: 'Create the first admin',
          csrf: anonymousCsrf(req, reply),
          token,
          valid,
          values,
          error: err.message,
        },
        422,
      );
    }
    return redirect(reply, `${ADMIN_PATH}/sign-in?done=setup`);
  }
}
