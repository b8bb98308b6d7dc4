import { Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyInterceptor, REPLAY_HOURS } from './idempotency.interceptor';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Deletes idempotency records past their 24 hours (at start, then hourly; expired ones are never replayed). */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge().catch(() => undefined), PURGE_EVERY_MS).unref();
    void this.purge().catch((err) => this.logger.warn(`purge failed: ${(err as Error).message}`));
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<number> {
    const [, count] = (await this.db.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - interval '${REPLAY_HOURS} hours'`,
    )) as [unknown, number];
    return count;
  }
}

@Module({
  providers: [IdempotencyInterceptor, IdempotencyPurger],
  exports: [IdempotencyInterceptor],
})
export class IdempotencyModule {}
