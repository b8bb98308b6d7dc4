import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { RedisState } from '../common/throttling/redis-window.storage';
import { isoTimestamp } from '../common/time';
import { AppConfig } from '../config/app-config';
import { BacklogRepository } from '../metrics/backlog.repository';
import type { ReadinessBacklog, ReadinessResponse } from './dto/health.response';

/** How long one readiness result is reused: a flood of probes costs one query a second, not one each. */
export const READINESS_TTL_MS = 1_000;

type StorageWithState = ThrottlerStorage & { state?: () => Promise<RedisState> };

@Injectable()
export class ReadinessService {
  private cached?: { at: number; result: Promise<ReadinessResponse> };

  constructor(
    private readonly backlogs: BacklogRepository,
    private readonly config: AppConfig,
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
    const query = this.backlogs.workerBacklog();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // A database slower than this to answer is not ready (READINESS_TIMEOUT_MS).
      timer = setTimeout(() => reject(new Error('database probe timed out')), this.config.readinessTimeoutMs);
    });
    try {
      const row = await Promise.race([query, timeout]);
      return { events: row.events, oldest_event_age_seconds: row.age, webhooks_due: row.due };
    } finally {
      clearTimeout(timer);
    }
  }
}
