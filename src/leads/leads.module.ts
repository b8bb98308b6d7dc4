import { Module } from '@nestjs/common';
import { LeadIntakeService } from './lead-intake.service';
import { LeadTagsController } from './lead-tags.controller';
import { LeadTagsRepository } from './lead-tags.repository';
import { LeadsController } from './leads.controller';
import { LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';

@Module({
  controllers: [LeadsController, LeadTagsController],
  providers: [LeadsService, LeadIntakeService, LeadsRepository, LeadTagsRepository],
  exports: [LeadsService, LeadIntakeService, LeadsRepository],
})
export class LeadsModule {}
