import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiException } from '../errors/api.exception';
import { OUTSIDE_API_KEY, PUBLIC_KEY } from './auth.decorators';

/**
 * Authenticates every non-public request by its bearer API key (401 otherwise). The request gate has normally
 * done it already, before the body was read (src/common/edge/request-gate.ts); this guard is the safety net.
 */
@Injectable()
export class ApiKeyGuard extends AuthGuard('bearer') {
  constructor(private readonly reflector: Reflector) {
    super({ session: false });
  }

  canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    // Admin panel routes: the bearer key is not even looked at (sessions there, keys here).
    if (this.reflector.getAllAndOverride<boolean>(OUTSIDE_API_KEY, targets)) return true;
    if (context.switchToHttp().getRequest().user) return true;
    return super.canActivate(context);
  }

  handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err; // e.g. the database is unreachable: a 503, not a 401
    if (!user) throw new ApiException('UNAUTHORIZED');
    return user;
  }
}
