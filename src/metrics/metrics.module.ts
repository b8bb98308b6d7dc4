import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** Global: the engine records its outcomes here without importing anything HTTP. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
