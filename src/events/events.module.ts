import { Global, Module } from '@nestjs/common';
import { DomainEventsRepository } from './domain-events.repository';
import { EventsService } from './events.service';
import { OutboxRetentionRepository } from './outbox-retention.repository';

/** Domain events (outbox + in-process emitter after commit); global so every domain can record. */
@Global()
@Module({
  providers: [EventsService, DomainEventsRepository, OutboxRetentionRepository],
  exports: [EventsService, OutboxRetentionRepository],
})
export class EventsModule {}
