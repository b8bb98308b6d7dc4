import type { Logger } from '@nestjs/common';

/**
 * Runs `tick` over and over: at once again while it reports more work, else after `wait()` (a poll interval,
 * or less) or as soon as `wake()` is called. A wake during a tick makes the next tick start right away.
 * `stop()` ends the loop and resolves once the tick in progress finished; no timer is left behind.
 */
export class WorkLoop {
  private running = false;
  private woken = false;
  private timer?: NodeJS.Timeout;
  private release?: () => void;
  private done?: Promise<void>;

  constructor(
    private readonly name: string,
    private readonly tick: () => Promise<boolean>,
    private readonly wait: () => Promise<number>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  wake(): void {
    this.woken = true;
    this.release?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.release?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.woken = false;
      let more = false;
      try {
        more = await this.tick();
        failures = 0;
      } catch (err) {
        failures++;
        this.logger.error(`${this.name}: ${(err as Error).message}`);
      }
      if (!this.running) break;
      if (more || this.woken) continue;
      let ms: number;
      try {
        ms = await this.wait();
      } catch {
        ms = 1000;
      }
      // After errors (database down), back off up to 30 s instead of hammering.
      if (failures) ms = Math.min(30_000, ms * 2 ** Math.min(failures, 5));
      await this.sleep(ms);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.release = () => {
        clearTimeout(this.timer);
        this.release = undefined;
        resolve();
      };
      // The HTTP server keeps the process alive, not the worker's naps.
      this.timer = setTimeout(this.release, ms).unref();
    });
  }
}
