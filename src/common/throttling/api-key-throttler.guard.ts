import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerRequest } from '@nestjs/throttler';
import { ApiException } from '../errors/api.exception';
import type { Principal } from '../auth/principal';
import type { WindowRecord } from './window-record';

export const RATE_WINDOW_MS = 60 * 60 * 1000;

/**
 * One fixed hourly window per API key (not per route), limit = the key's rate_limit. Sets
 * X-RateLimit-Limit/Remaining/Reset (Unix seconds) on every response to a valid key; 429 + Retry-After.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !context.switchToHttp().getRequest().user; // public routes: no key to count against
  }

  protected async handleRequest(r: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(r.context);
    const principal = req.user as Principal;
    const limit = principal.rateLimit;
    const rec = (await this.storageService.increment(
      `key:${principal.rateKey}`,
      RATE_WINDOW_MS,
      limit,
      0,
      'hourly',
    )) as WindowRecord;
    const reset = Math.ceil(rec.resetAt / 1000);
    res.header('X-RateLimit-Limit', String(limit));
    res.header('X-RateLimit-Remaining', String(Math.max(0, limit - rec.totalHits)));
    res.header('X-RateLimit-Reset', String(reset));
    if (rec.isBlocked) {
      const retryAfter = Math.max(1, Math.ceil((rec.resetAt - Date.now()) / 1000));
      res.header('Retry-After', String(retryAfter));
      throw new ApiException(
        'RATE_LIMITED',
        `Rate limit of ${limit} requests per hour exceeded for this API key.`,
      );
    }
    return true;
  }
}
