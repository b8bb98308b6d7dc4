import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RedisState } from '../common/throttling/redis-window.storage';
import { isoTimestamp } from '../common/time';
import type { ReadinessBacklog, ReadinessResponse } from './dto/health.response';

/** How long one readiness result is reused: a flood of probes costs one query a second, not one each. */
export const READINESS_TTL_MS = 1_000;
/** A database that takes longer than this to answer `SELECT 1` is not ready. */
const PROBE_TIMEOUT_MS = 2_000;

type StorageWithState = ThrottlerStorage & { state?: () => Promise<RedisState> };

@Injectable()
export class ReadinessService {
  private cached?: { at: number; result: Promise<ReadinessResponse> };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectThrottlerStorage() private readonly storage: StorageWithState,
  ) {}

  /** The latest result if it is fresh, else one new check shared by every caller waiting meanwhile. */
  check(): Promise<ReadinessResponse> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at >= READINESS_TTL_MS)
      this.cached = { at: now, result: this.run() };
    return this.cached.result;
  }

  private async run(): Promise<ReadinessResponse> {
    const [backlog, redis] = await Promise.all([
      this.backlog().catch(() => null),
      this.storage.state ? this.storage.state() : Promise.resolve(undefined),
    ]);
    const database = backlog ? 'ok' : 'unavailable';
    const status = !backlog ? 'unavailable' : redis === 'unavailable' ? 'degraded' : 'ok';
    return {
      status,
      database,
      ...(redis ? { redis } : {}),
      backlog,
      checked_at: isoTimestamp(new Date()),
    };
  }

  /** One query: it proves the database answers and reads the worker's backlog (both partial indexes). */
  private async backlog(): Promise<ReadinessBacklog> {
    const query = this.db.query<{ events: string; age: string; due: string }[]>(
      `SELECT (SELECT count(*) FROM domain_events WHERE processed_at IS NULL) AS events,
              (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::int
                 FROM domain_events WHERE processed_at IS NULL) AS age,
              (SELECT count(*) FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()) AS due`,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database probe timed out')), PROBE_TIMEOUT_MS);
    });
    try {
      const [row] = await Promise.race([query, timeout]);
      return {
        events: Number(row.events),
        oldest_event_age_seconds: Number(row.age),
        webhooks_due: Number(row.due),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
