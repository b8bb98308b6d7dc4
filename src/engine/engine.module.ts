import { Module } from '@nestjs/common';
import { AutomationsModule } from '../automations/automations.module';
import { SecretBoxModule } from '../common/crypto/secret-box.module';
import { IntegrationsModule } from '../integrations/integrations.module';
import { LeadsModule } from '../leads/leads.module';
import { ActionExecutor } from './action-executor';
import { AutomationRunner } from './automation-runner';
import { AutomationRunsRepository } from './automation-runs.repository';
import { AutomationRunsController } from './automation-runs.controller';
import { AppConfig } from '../config/app-config';
import { ENGINE_CONFIG } from './engine.tokens';
import { engineConfig } from './engine-config';
import { EngineWorker } from './engine-worker';
import { OutboundSenders } from './outbound-senders';
import { OutboxPruner } from './outbox-pruner';
import { VacuumUpkeep } from './vacuum-upkeep';
import { TableVacuum } from '../database/table-vacuum';
import { RunLogService } from './run-log.service';
import { SubscriptionDeliveries } from './subscriptions';
import { ClaimedEventsRepository } from './claimed-events.repository';
import { UnwatchedEventsRepository } from './unwatched-events.repository';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';

/**
 * The automation engine: runs automations on domain events, queues webhook subscriptions' deliveries, sends
 * every outbound delivery (webhooks, e-mail, Slack), keeps the run log.
 */
@Module({
  imports: [AutomationsModule, SecretBoxModule, LeadsModule, IntegrationsModule],
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
    ClaimedEventsRepository,
    AutomationRunsRepository,
    WebhookDeliveriesRepository,
    OutboxPruner,
    VacuumUpkeep,
    TableVacuum,
    UnwatchedEventsRepository,
  ],
})
export class EngineModule {}
