import { Global, Module } from '@nestjs/common';
import { BacklogRepository } from './backlog.repository';
import { MetricsService } from './metrics.service';

/** Global: the engine records its outcomes here without importing anything HTTP. */
@Global()
@Module({ providers: [MetricsService, BacklogRepository], exports: [MetricsService, BacklogRepository] })
export class MetricsModule {}
