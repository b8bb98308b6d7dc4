import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Automation } from '../automations/automation.entity';
import { SecretBoxModule } from '../common/crypto/secret-box.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { LeadsModule } from '../leads/leads.module';
import { ActionExecutor } from './action-executor';
import { AutomationRun } from './automation-run.entity';
import { AutomationRunner } from './automation-runner';
import { AutomationRunsController } from './automation-runs.controller';
import { AppConfig } from '../config/app-config';
import { ENGINE_CONFIG } from './engine.tokens';
import { engineConfig } from './engine-config';
import { EngineWorker } from './engine-worker';
import { OutboundSenders } from './outbound-senders';
import { OutboxPruner } from './outbox-pruner';
import { RunLogService } from './run-log.service';
import { SubscriptionDeliveries } from './subscriptions';
import { UnwatchedEventsRepository } from './unwatched-events.repository';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveries } from './webhook-deliveries';

/**
 * The automation engine: runs automations on domain events, queues webhook subscriptions' deliveries, sends
 * every outbound delivery (webhooks, e-mail, Slack), keeps the run log.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Automation, AutomationRun, WebhookDelivery]),
    SecretBoxModule,
    LeadsModule,
    IntegrationsModule,
  ],
  controllers: [AutomationRunsController],
  providers: [
    { provide: ENGINE_CONFIG, useFactory: (config: AppConfig) => engineConfig(config), inject: [AppConfig] },
    ActionExecutor,
    AutomationRunner,
    RunLogService,
    WebhookDeliveries,
    OutboundSenders,
    SubscriptionDeliveries,
    EngineWorker,
    OutboxPruner,
    UnwatchedEventsRepository,
  ],
})
export class EngineModule {}
