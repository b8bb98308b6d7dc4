import {
  applyDecorators,
  CanActivate,
  Controller,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createParamDecorator } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OutsideApi } from '../common/auth/auth.decorators';
import { ANON_CSRF_COOKIE, field, FormBody, readCookie, SESSION_COOKIE } from './admin-http';
import { AdminErrorFilter, AdminForbidden, AdminSignInRequired } from './admin-errors';
import { CSRF_FIELD, sameToken } from './csrf';
import { AdminSession, AdminSessionService } from './session.service';

const ANONYMOUS = 'leadhub:admin-anonymous';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

type AdminRequest = FastifyRequest & { adminSession?: AdminSession };

/**
 * Every admin request: a live session (else to the sign-in page), and on every state-changing request the
 * CSRF token of the form — the session's, or before sign-in the double-submit cookie's (403 otherwise).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: AdminSessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AdminRequest>();
    const anonymous = this.reflector.getAllAndOverride<boolean>(ANONYMOUS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const given = field(req.body as FormBody | undefined, CSRF_FIELD);
    if (anonymous) {
      if (!SAFE_METHODS.has(req.method) && !sameToken(readCookie(req, ANON_CSRF_COOKIE), given))
        throw new AdminForbidden();
      return true;
    }
    const session = await this.sessions.resolve(readCookie(req, SESSION_COOKIE));
    if (!session) {
      if (!SAFE_METHODS.has(req.method)) throw new AdminForbidden();
      throw new AdminSignInRequired();
    }
    if (!SAFE_METHODS.has(req.method) && !sameToken(session.csrf, given)) throw new AdminForbidden();
    req.adminSession = session;
    return true;
  }
}

/** An admin panel controller: outside the API (its guards, document and rate limits), guarded by sessions. */
export function AdminController(path: string) {
  return applyDecorators(
    Controller(path),
    ApiExcludeController(),
    OutsideApi(),
    UseGuards(AdminGuard),
    UseFilters(AdminErrorFilter),
  );
}

/** A page shown without a session (sign-in, setup): its forms use the double-submit token. */
export const Anonymous = () => SetMetadata(ANONYMOUS, true);

/** The signed-in admin's session. */
export const Session = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AdminSession =>
    ctx.switchToHttp().getRequest<AdminRequest>().adminSession!,
);

/** What the layout needs of the session. */
export function layoutOf(s: AdminSession) {
  return { admin: { name: s.name, email: s.email, workspace: s.workspaceSlug }, csrf: s.csrf };
}
