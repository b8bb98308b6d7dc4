import { Inject, Injectable } from '@nestjs/common';
import { OutboxRetentionRepository } from '../events/outbox-retention.repository';
import { ENGINE_CONFIG } from './engine.tokens';
import type { EngineConfig } from './engine-config';
import { BackgroundLoop } from './background-loop';

/** Pause between two full batches: pruning a large backlog leaves room for the traffic it shares cores with. */
const PAUSE_MS = 200;

/**
 * Deletes processed domain events older than LEADHUB_EVENT_RETENTION_HOURS, so the outbox does not grow
 * forever. Runs with the worker (LEADHUB_WORKER=0: another instance does it) at start and then every
 * pruneIntervalMs, in batches of pruneBatch rows (short statements, short locks), again after a pause while
 * a batch came back full. Several instances may prune at once: they skip each other's rows.
 */
@Injectable()
export class OutboxPruner extends BackgroundLoop {
  /** The last batch was full: more are due after a pause. */
  private full = false;

  constructor(
    private readonly outbox: OutboxRetentionRepository,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {
    super('prune', 'OutboxPruner');
  }

  protected enabled(): boolean {
    return this.config.enabled;
  }

  protected pause(): number {
    return this.full ? PAUSE_MS : this.config.pruneIntervalMs;
  }

  protected round(): Promise<boolean> {
    return this.pruneBatch();
  }

  /** One statement; the loop comes back after a short pause when it was full, else after the interval. */
  async pruneBatch(): Promise<boolean> {
    const deleted = await this.outbox.pruneProcessed(this.config.retentionHours, this.config.pruneBatch);
    this.full = deleted >= this.config.pruneBatch;
    return false;
  }
}
