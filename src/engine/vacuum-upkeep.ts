import { Inject, Injectable } from '@nestjs/common';
import { TableVacuum } from '../database/table-vacuum';
import { ENGINE_CONFIG } from './engine.tokens';
import type { EngineConfig } from './engine-config';
import { BackgroundLoop } from './background-loop';

/**
 * Stands in for autovacuum on a PostgreSQL server that runs without it (`autovacuum = off`): the service's tables
 * churn on every write (search fragments folded, the change log and the outbox pruned, deliveries settled), and
 * without VACUUM their dead rows pile up and every query slows down as the hours go by. LEADHUB_VACUUM: `auto`
 * (default) only when the server's autovacuum is off; `always`; `off`. Runs with the worker, every
 * vacuumIntervalMs, one instance at a time (src/database/table-vacuum.ts).
 */
@Injectable()
export class VacuumUpkeep extends BackgroundLoop {
  private announced = false;

  constructor(
    private readonly tables: TableVacuum,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {
    super('vacuum', 'VacuumUpkeep');
  }

  protected enabled(): boolean {
    return this.config.enabled && this.config.vacuum !== 'off';
  }

  protected pause(): number {
    return this.config.vacuumIntervalMs;
  }

  /** One round; returns false: the loop waits for the next interval. */
  protected async round(): Promise<boolean> {
    if (this.config.vacuum === 'off') return false;
    const done = await this.tables.round(this.config.vacuum);
    if (done.skipped !== 'autovacuum' && this.config.vacuum === 'auto' && !this.announced) {
      this.announced = true;
      this.logger.warn(
        "PostgreSQL's autovacuum is off: LeadHub vacuums its own tables (LEADHUB_VACUUM=off turns this off)",
      );
    }
    return false;
  }
}
