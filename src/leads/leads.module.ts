import { Module } from '@nestjs/common';
import { LeadIntakeService } from './lead-intake.service';
import { LeadTagsController } from './lead-tags.controller';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController, LeadTagsController],
  providers: [LeadsService, LeadIntakeService],
  exports: [LeadsService, LeadIntakeService],
})
export class LeadsModule {}
