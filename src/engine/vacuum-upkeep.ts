import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { TableVacuum } from '../database/table-vacuum';
import { ENGINE_CONFIG } from './engine.tokens';
import type { EngineConfig } from './engine-config';
import { WorkLoop } from './work-loop';

/**
 * Stands in for autovacuum on a PostgreSQL server that runs without it (`autovacuum = off`): the service's tables
 * churn on every write (search fragments folded, the change log and the outbox pruned, deliveries settled), and
 * without VACUUM their dead rows pile up and every query slows down as the hours go by. LEADHUB_VACUUM: `auto`
 * (default) only when the server's autovacuum is off; `always`; `off`. Runs with the worker, every
 * vacuumIntervalMs, one instance at a time (src/database/table-vacuum.ts).
 */
@Injectable()
export class VacuumUpkeep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('VacuumUpkeep');
  private readonly loop: WorkLoop;
  private announced = false;

  constructor(
    private readonly tables: TableVacuum,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {
    this.loop = new WorkLoop(
      'vacuum',
      () => this.round(),
      async () => this.config.vacuumIntervalMs,
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.enabled && this.config.vacuum !== 'off') this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** One round; returns false: the loop waits for the next interval. */
  private async round(): Promise<boolean> {
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
