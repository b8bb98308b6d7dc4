import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../errors/api.exception';
import { SCOPES_KEY } from './auth.decorators';
import type { Principal } from './principal';
import { grants, type Scope } from './scopes';

/** Runs after authentication and rate limiting, so a 403 still counts and carries the rate-limit headers. */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.get<Scope[] | undefined>(SCOPES_KEY, context.getHandler());
    if (!required?.length) return true;
    const principal = context.switchToHttp().getRequest().user as Principal | undefined;
    if (!principal) return true; // public route
    const missing = required.filter((s) => !grants(principal.scopes, s));
    if (missing.length) {
      throw new ApiException('FORBIDDEN', `This API key lacks the required scope: ${missing.join(', ')}.`);
    }
    return true;
  }
}
