import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { Principal } from '../auth/principal';
import { ApiException } from '../errors/api.exception';
import { AppConfig } from '../../config/app-config';
import type { TypeOrmTransactions } from '../../database/transactions';
import { IdempotencyRepository, REPLAY_HOURS, type StoredResponse } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Printable ASCII, 1–255 characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export { REPLAY_HOURS };
/** How long a retry waits for the first request with its key to finish before it is told 409. */
const WAIT_FOR_FIRST_MS = 3_000;

/**
 * `Idempotency-Key` on POST (Stripe semantics), scoped to the API key. The first request runs in one transaction
 * that also stores its successful response; a retry with the same key and body gets that response again with
 * `Idempotent-Replayed: true` for 24 hours; the same key with another body is a 422; a retry arriving while the
 * first is still running waits for it (up to 3 s, then 409 CONFLICT). A request that failed stored nothing, so
 * its retry runs again. A crash after the commit but before the reply leaves the response stored: the retry
 * replays it (test/process/idempotency-crash.spec.ts).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly txHost: TransactionHost<TypeOrmTransactions>,
    private readonly keys: IdempotencyRepository,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest & { user?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (req.method !== 'POST' || header === undefined || !req.user) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY_PATTERN.test(key))
      throw ApiException.field(
        'Idempotency-Key',
        'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
      );
    const keyId = req.user.keyId;
    const hash = createHash('sha256')
      .update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    // One ambient transaction for the whole request: the services' @Transactional methods join it, so the
    // response is stored in the same transaction as the write. Not retried: the handler cannot be replayed.
    return from(
      this.txHost
        .withTransaction({ retry: false }, async () => {
          const turn = await this.lock(keyId, key);
          const stored = await this.keys.findRecent(keyId, key);
          if (stored) return this.replay(stored, hash, reply);
          if (turn === 'waited') throw new ApiException('CONFLICT');
          const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
          const location = reply.getHeader('location');
          await this.keys.store(keyId, key, {
            request_hash: hash,
            status: reply.statusCode,
            body,
            location: (location ?? null) as string | null,
          });
          return body;
        })
        .then((body) => {
          // Test-only: simulates `kill -9` after the commit and before the reply (test/process).
          if (this.config.testCrashAfterIdempotentCommit) process.kill(process.pid, 'SIGKILL');
          return body;
        }),
    );
  }

  /**
   * One request per key runs at a time. The first takes the key's lock exclusively; the retries that arrive
   * meanwhile wait for it with a shared lock (bounded), so once it commits they all read its response at once
   * instead of one after another. A waiter that then finds nothing stored (the first failed) gets 409: retry.
   */
  private async lock(keyId: number, key: string): Promise<'first' | 'waited'> {
    const turn = await this.keys.lock(`idem:${keyId}:${key}`, WAIT_FOR_FIRST_MS);
    if (turn === 'timeout') throw new ApiException('CONFLICT');
    return turn;
  }

  private replay(stored: StoredResponse, hash: string, reply: FastifyReply): unknown {
    if (stored.request_hash !== hash)
      throw ApiException.field(
        'Idempotency-Key',
        'This Idempotency-Key was already used with a different request; use a new key for a new request.',
      );
    reply.status(stored.status).header('Idempotent-Replayed', 'true');
    if (stored.location) reply.header('Location', stored.location);
    return stored.body;
  }
}
