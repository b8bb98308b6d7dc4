import { Global, Module } from '@nestjs/common';
import { EventsService } from './events.service';

/** Domain events (outbox + in-process emitter after commit); global so every domain can record. */
@Global()
@Module({ providers: [EventsService], exports: [EventsService] })
export class EventsModule {}
