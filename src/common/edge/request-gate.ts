import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ApiKeysService } from '../../api-keys/api-keys.service';
import type { Principal } from '../auth/principal';
import { ApiException } from '../errors/api.exception';
import { KeylessBudget } from './keyless-budget';
import type { WindowRecord } from '../throttling/window-record';

export const RATE_WINDOW_MS = 60 * 60 * 1000;
const UNAUTH_WINDOW_MS = 60_000;

/** Route config that marks an operation as keyless (set by @Public()). */
export const PUBLIC_ROUTE = 'leadhubPublic';

/** `Authorization: Bearer <token>`, as passport-http-bearer reads it; undefined for anything else. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const parts = header.split(' ');
  return parts.length === 2 && /^Bearer$/i.test(parts[0]) && parts[1] ? parts[1] : undefined;
}

/**
 * The first thing every /api request meets (a Fastify onRequest hook, so before the body is read or parsed):
 * `Cache-Control: no-store`; then, for operations that need a key, authentication (cached, misses too), the
 * per-key hourly window with its X-RateLimit-* headers, and a per-address budget for requests without a valid
 * key. Deciding here means a 401 costs no body parsing, and every response to a valid key — even a 400, 404, 413
 * or 415 decided before routing — carries the rate-limit headers and counts.
 */
export class RequestGate {
  /** Addresses over their budget of failed attempts, until the end of that window (checked before any lookup). */
  private readonly blocked = new LRUCache<string, number>({ max: 10_000 });

  private readonly keyless: KeylessBudget;

  constructor(
    private readonly keys: ApiKeysService,
    private readonly storage: ThrottlerStorage,
    private readonly unauthenticatedPerMinute: number,
    keylessPerMinute = 0,
  ) {
    this.keyless = new KeylessBudget(keylessPerMinute);
  }

  async onRequest(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    // The matched route decides (a percent-encoded path still reaches its route); unmatched ones go by the path.
    const route = req.routeOptions?.url;
    const routed = route !== undefined;
    if (!(routed ? route.startsWith('/api') : isApiPath(req.url))) return;
    reply.header('Cache-Control', 'no-store');
    // CORS preflights carry no credentials by design; whatever answers them does so without a key.
    if (req.method === 'OPTIONS') return;
    const config = req.routeOptions?.config as unknown as Record<string, unknown> | undefined;
    if (config?.[PUBLIC_ROUTE]) return this.spendKeyless(req, reply);
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      if (!routed) return; // an unknown route: a 404, whoever asks
      return this.refuse(req, reply);
    }
    // A throttled address still reaches its valid keys (a tenant may share its address with an attacker: NAT, a
    // proxy), but its random tokens are refused without a query each.
    if (this.blockedUntil(req.ip) && !this.keys.cached(token) && !(await this.keys.mayBeKey(token)))
      return this.refuse(req, reply);
    const principal = await this.keys.authenticate(token);
    if (!principal) return routed ? this.refuse(req, reply) : void (await this.countFailure(req.ip));
    (req as FastifyRequest & { user?: Principal }).user = principal;
    await this.countForKey(principal, reply);
  }

  /** The key's fixed hourly window: headers on every response; over the limit → 429 with Retry-After. */
  private async countForKey(principal: Principal, reply: FastifyReply): Promise<void> {
    const limit = principal.rateLimit;
    const rec = (await this.storage.increment(
      `key:${principal.rateKey}`,
      RATE_WINDOW_MS,
      limit,
      0,
      'hourly',
    )) as WindowRecord;
    reply.header('X-RateLimit-Limit', String(limit));
    reply.header('X-RateLimit-Remaining', String(Math.max(0, limit - rec.totalHits)));
    reply.header('X-RateLimit-Reset', String(Math.ceil(rec.resetAt / 1000)));
    if (rec.isBlocked) {
      reply.header('Retry-After', String(Math.max(1, Math.ceil((rec.resetAt - Date.now()) / 1000))));
      throw new ApiException(
        'RATE_LIMITED',
        `Rate limit of ${limit} requests per hour exceeded for this API key.`,
      );
    }
  }

  /** Keyless operations cost no lookup, but a flood of them from one address is refused before any work. */
  private spendKeyless(req: FastifyRequest, reply: FastifyReply): void {
    const until = this.keyless.spend(req.ip);
    if (until === undefined) return;
    if (hasBody(req)) reply.header('Connection', 'close');
    reply.header('Retry-After', String(Math.max(1, Math.ceil((until - Date.now()) / 1000))));
    throw new ApiException('RATE_LIMITED', 'Too many requests from this address; try again later.');
  }

  /** 401 (or 429 once the address has spent its budget); the body, if any, is never read. */
  private async refuse(req: FastifyRequest, reply: FastifyReply): Promise<never> {
    // Without this the connection would stay open to drain a body nobody wants.
    if (hasBody(req)) reply.header('Connection', 'close');
    // An address known to be over its budget is not counted again: no round trip to the shared counter.
    const until = this.blockedUntil(req.ip);
    const rec = until ? { isBlocked: true, resetAt: until } : await this.countFailure(req.ip);
    if (rec.isBlocked) {
      reply.header('Retry-After', String(Math.max(1, Math.ceil((rec.resetAt - Date.now()) / 1000))));
      throw new ApiException(
        'RATE_LIMITED',
        'Too many requests without a valid API key from this address; try again later.',
      );
    }
    throw new ApiException('UNAUTHORIZED');
  }

  /**
   * Counts a request without a valid key against its address. Once the budget is spent the address is
   * remembered here, so its next attempts are refused before any key lookup.
   */
  private async countFailure(ip: string): Promise<WindowRecord> {
    const limit = this.unauthenticatedPerMinute;
    const rec = (await this.storage.increment(
      `addr:${ip}`,
      UNAUTH_WINDOW_MS,
      limit,
      0,
      'unauthenticated',
    )) as WindowRecord;
    if (rec.totalHits >= limit)
      this.blocked.set(ip, rec.resetAt, { ttl: Math.max(1, rec.resetAt - Date.now()) });
    return rec;
  }

  /** End of the address's spent window (ms), or undefined while it has budget left. */
  private blockedUntil(ip: string): number | undefined {
    const until = this.blocked.get(ip);
    return until !== undefined && until > Date.now() ? until : undefined;
  }
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}
