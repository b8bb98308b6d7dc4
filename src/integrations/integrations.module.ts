import { Module } from '@nestjs/common';
import { SecretBoxModule } from '../common/crypto/secret-box.module';
import { LeadsModule } from '../leads/leads.module';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveriesRepository } from './deliveries/deliveries.repository';
import { DeliveriesService } from './deliveries/deliveries.service';
import { IntegrationsController } from './integrations.controller';
import { IntegrationsRepository } from './integrations.repository';
import { IntegrationsService } from './integrations.service';
import { FacebookLeadsWorker } from './receivers/facebook-leads.worker';
import { ReceiptsRepository } from './receivers/receipts.repository';
import { ReceiptsService } from './receivers/receipts.service';
import { ReceiversController } from './receivers/receivers.controller';

/** Integrations: their configs, the public receivers of outside services, and the deliveries log. */
@Module({
  imports: [SecretBoxModule, LeadsModule],
  controllers: [IntegrationsController, DeliveriesController, ReceiversController],
  providers: [
    IntegrationsService,
    IntegrationsRepository,
    DeliveriesService,
    DeliveriesRepository,
    ReceiptsService,
    ReceiptsRepository,
    FacebookLeadsWorker,
  ],
  exports: [IntegrationsService, IntegrationsRepository, DeliveriesService],
})
export class IntegrationsModule {}
