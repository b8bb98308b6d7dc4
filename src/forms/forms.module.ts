import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { FormSubmissionsController } from './form-submissions.controller';
import { FormSubmissionsRepository } from './form-submissions.repository';
import { FormSubmissionsService } from './form-submissions.service';
import { FormsController } from './forms.controller';
import { FormsRepository } from './forms.repository';
import { FormsService } from './forms.service';
import { PublicFormsController } from './public-forms.controller';

/**
 * Forms and their submissions. Decisions where the reference is silent:
 * - Lead defaults are one nested `lead_defaults` object (source default "form", status, tags, pipeline_id,
 *   stage_id, assigned_user_id), stored as columns with foreign keys (ON DELETE SET NULL). Status, pipeline,
 *   stage and owner apply to new leads only; a duplicate gets source (when empty) and the tags, like inbound.
 * - A field without `maps_to` goes to the lead's custom_fields under the field's name; no two fields may fill
 *   the same lead field or custom_fields key.
 * - `fields` and `lead_defaults` are replaced as a whole on update.
 * - Deleting a form deletes its submissions and keeps the leads; deleting a lead keeps its submissions
 *   (lead_id null). submissions_count is a counter kept in the submission's transaction.
 */
@Module({
  imports: [LeadsModule],
  controllers: [FormsController, FormSubmissionsController, PublicFormsController],
  providers: [FormsService, FormSubmissionsService, FormsRepository, FormSubmissionsRepository],
})
export class FormsModule {}
