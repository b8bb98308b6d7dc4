import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkLoop } from './work-loop';

/**
 * A service that runs one WorkLoop while the application runs, in instances where it is enabled (the outbox
 * pruner, the vacuum upkeep, the Facebook receiver). A subclass says whether it runs, what one round does and how
 * long to wait after a round that left nothing due; the start at bootstrap and the clean stop are here.
 */
export abstract class BackgroundLoop implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger: Logger;
  private readonly loop: WorkLoop;

  protected constructor(name: string, context: string) {
    this.logger = new Logger(context);
    this.loop = new WorkLoop(
      name,
      () => this.round(),
      async () => this.pause(),
      this.logger,
    );
  }

  /** Whether the loop runs in this instance (read at bootstrap). */
  protected abstract enabled(): boolean;

  /** One round; true when more is due at once. */
  protected abstract round(): Promise<boolean>;

  /** Milliseconds to wait after a round that returned false (unless woken). */
  protected abstract pause(): number;

  onApplicationBootstrap(): void {
    if (this.enabled()) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** Starts the next round now (work was queued in this instance). */
  protected wakeLoop(): void {
    this.loop.wake();
  }
}
