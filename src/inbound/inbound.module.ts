import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { InboundController } from './inbound.controller';
import { InboundService } from './inbound.service';

@Module({ imports: [LeadsModule], controllers: [InboundController], providers: [InboundService] })
export class InboundModule {}
