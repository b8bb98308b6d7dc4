import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { EventsService } from '../events/events.service';
import { LeadIntakeService } from '../leads/lead-intake.service';
import { FormSubmissionCreatedResponse, FormSubmissionResponse } from './dto/form.response';
import type { LeadDefaults } from './form-definition';
import { checkSubmission } from './form-submission.validator';
import {
  FormSubmissionsRepository,
  type SubmissionForm,
  type SubmissionRow,
} from './form-submissions.repository';
import { found } from '../common/crud/found';

@Injectable()
export class FormSubmissionsService {
  constructor(
    private readonly submissions: FormSubmissionsRepository,
    private readonly events: EventsService,
    private readonly intake: LeadIntakeService,
  ) {}

  /**
   * Checks the values against the form, then in ONE transaction creates the lead or merges into its duplicate
   * (LeadIntakeService: the same rules and advisory locks as inbound), stores the submission, counts it on the
   * form and records `form.submitted`. The form row is held with FOR KEY SHARE: it cannot be deleted meanwhile,
   * while other submissions and edits proceed.
   */
  @Transactional()
  async submit(workspaceId: number, formId: number, body: unknown): Promise<FormSubmissionCreatedResponse> {
    const form = await this.submissions.lockForm(workspaceId, formId);
    if (!form) throw ApiException.notFound('form');
    if (!form.is_active)
      throw ApiException.validation(
        { form: ['The form is inactive and accepts no submissions.'] },
        'The form is inactive and accepts no submissions.',
      );
    const { values, lead } = checkSubmission(form.fields, defaultsOf(form), body);
    const { leadId, isDuplicate } = await this.intake.intake(workspaceId, lead);
    const row = await this.submissions.insert(workspaceId, formId, { leadId, isDuplicate, values });
    await this.events.record({
      type: 'form.submitted',
      workspaceId,
      leadId,
      changes: { form_id: { from: null, to: formId }, submission_id: { from: null, to: row.id } },
    });
    return {
      id: row.id,
      form_id: formId,
      lead_id: leadId,
      is_duplicate: isDuplicate,
      created_at: isoTimestamp(row.created_at),
    };
  }

  /** The form's submissions, newest first; a form of another workspace is a 404. */
  async list(workspaceId: number, formId: number, q: PaginationQueryDto): Promise<Page<SubmissionRow>> {
    const total = await this.submissions.countOfForm(workspaceId, formId);
    if (total === undefined) throw ApiException.notFound('form');
    return { items: await this.submissions.listOfForm(formId, q), total };
  }

  /** A published form by its public id; unknown or unpublished is a 404. */
  async findPublic(
    publicId: string,
  ): Promise<{ id: number; workspaceId: number; successUrl: string | null }> {
    const row = await this.submissions.findPublished(publicId);
    if (!row) throw ApiException.notFound('form');
    return { id: row.id, workspaceId: row.workspace_id, successUrl: row.success_url };
  }

  /** One submission of the form; another workspace's form or submission is a 404. */
  async show(workspaceId: number, formId: number, submissionId: number): Promise<SubmissionRow> {
    return found(await this.submissions.findInForm(workspaceId, formId, submissionId), 'submission');
  }
}

function defaultsOf(f: SubmissionForm): LeadDefaults {
  return {
    source: f.default_source,
    status: f.default_status,
    tags: f.default_tags,
    pipeline_id: f.default_pipeline_id,
    stage_id: f.default_stage_id,
    assigned_user_id: f.default_assigned_user_id,
  };
}

export function toSubmissionResponse(s: SubmissionRow): FormSubmissionResponse {
  return {
    id: s.id,
    form_id: s.form_id,
    lead_id: s.lead_id,
    is_duplicate: s.is_duplicate,
    values: s.values,
    created_at: isoTimestamp(s.created_at),
  };
}
