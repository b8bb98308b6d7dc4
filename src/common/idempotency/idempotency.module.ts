import { Injectable, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Deletes idempotency records past their 24 hours (at start, then hourly; expired ones are never replayed). */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly keys: IdempotencyRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge().catch(() => undefined), PURGE_EVERY_MS).unref();
    void this.purge().catch((err) => this.logger.warn(`purge failed: ${(err as Error).message}`));
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  purge(): Promise<number> {
    return this.keys.purgeExpired();
  }
}

@Module({
  providers: [IdempotencyInterceptor, IdempotencyPurger, IdempotencyRepository],
  exports: [IdempotencyInterceptor],
})
export class IdempotencyModule {}
