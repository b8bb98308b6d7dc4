import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Automation } from '../automations/automation.entity';
import { SecretBoxModule } from '../common/crypto/secret-box.module';
import { LeadsModule } from '../leads/leads.module';
import { ActionExecutor } from './action-executor';
import { AutomationRun } from './automation-run.entity';
import { AutomationRunner } from './automation-runner';
import { AutomationRunsController } from './automation-runs.controller';
import { AppConfig } from '../config/app-config';
import { ENGINE_CONFIG } from './engine.tokens';
import { engineConfig } from './engine-config';
import { EngineWorker } from './engine-worker';
import { RunLogService } from './run-log.service';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveries } from './webhook-deliveries';

/** The automation engine: runs automations on domain events, sends their webhooks, keeps the run log. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Automation, AutomationRun, WebhookDelivery]),
    SecretBoxModule,
    LeadsModule,
  ],
  controllers: [AutomationRunsController],
  providers: [
    { provide: ENGINE_CONFIG, useFactory: (config: AppConfig) => engineConfig(config), inject: [AppConfig] },
    ActionExecutor,
    AutomationRunner,
    RunLogService,
    WebhookDeliveries,
    EngineWorker,
  ],
})
export class EngineModule {}
