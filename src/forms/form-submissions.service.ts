import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { EventsService } from '../events/events.service';
import { LeadIntakeService } from '../leads/lead-intake.service';
import { FormSubmissionCreatedResponse, FormSubmissionResponse } from './dto/form.response';
import type { LeadDefaults, StoredField } from './form-definition';
import { checkSubmission, type SubmittedValues } from './form-submission.validator';

interface SubmissionRow {
  id: number;
  form_id: number;
  lead_id: number | null;
  is_duplicate: boolean;
  values: SubmittedValues;
  created_at: Date;
}

@Injectable()
export class FormSubmissionsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly intake: LeadIntakeService,
  ) {}

  /**
   * Checks the values against the form, then in ONE transaction creates the lead or merges into its duplicate
   * (LeadIntakeService: the same rules and advisory locks as inbound), stores the submission, counts it on the
   * form and records `form.submitted`. The form row is held with FOR KEY SHARE: it cannot be deleted meanwhile,
   * while other submissions and edits proceed.
   */
  submit(workspaceId: number, formId: number, body: unknown): Promise<FormSubmissionCreatedResponse> {
    return this.events.transaction(async (m) => {
      const form = await this.lockForm(m, workspaceId, formId);
      if (!form.is_active)
        throw ApiException.validation(
          { form: ['The form is inactive and accepts no submissions.'] },
          'The form is inactive and accepts no submissions.',
        );
      const { values, lead } = checkSubmission(form.fields, defaultsOf(form), body);
      const { leadId, isDuplicate } = await this.intake.intake(workspaceId, lead, m);
      const [row]: SubmissionRow[] = await m.query(
        `INSERT INTO form_submissions (workspace_id, form_id, lead_id, is_duplicate, "values")
         VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING *`,
        [workspaceId, formId, leadId, isDuplicate, JSON.stringify(values)],
      );
      await m.query('UPDATE forms SET submissions_count = submissions_count + 1 WHERE id = $1', [formId]);
      await this.events.record(m, {
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
    });
  }

  /** The form's submissions, newest first; a form of another workspace is a 404. */
  async list(workspaceId: number, formId: number, q: PaginationQueryDto): Promise<Page<SubmissionRow>> {
    const [form]: { total: number }[] = await this.db.query(
      'SELECT submissions_count AS total FROM forms WHERE id = $1 AND workspace_id = $2',
      [formId, workspaceId],
    );
    if (!form) throw ApiException.notFound('form');
    const items: SubmissionRow[] = await this.db.query(
      `SELECT * FROM form_submissions WHERE form_id = $1
        ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [formId, q.per_page, (q.page - 1) * q.per_page],
    );
    return { items, total: form.total };
  }

  /** A published form by its public id; unknown or unpublished is a 404. */
  async findPublic(
    publicId: string,
  ): Promise<{ id: number; workspaceId: number; successUrl: string | null }> {
    const [row]: { id: number; workspace_id: number; success_url: string | null }[] = await this.db.query(
      'SELECT id, workspace_id, success_url FROM forms WHERE public_id = $1 AND is_public',
      [publicId],
    );
    if (!row) throw ApiException.notFound('form');
    return { id: row.id, workspaceId: row.workspace_id, successUrl: row.success_url };
  }

  /** One submission of the form; another workspace's form or submission is a 404. */
  async show(workspaceId: number, formId: number, submissionId: number): Promise<SubmissionRow> {
    const [row]: SubmissionRow[] = await this.db.query(
      'SELECT * FROM form_submissions WHERE id = $1 AND form_id = $2 AND workspace_id = $3',
      [submissionId, formId, workspaceId],
    );
    if (!row) throw ApiException.notFound('submission');
    return row;
  }

  private async lockForm(m: EntityManager, workspaceId: number, formId: number) {
    const [form]: FormRow[] = await m.query(
      `SELECT fields, is_active, default_source, default_status, default_tags, default_pipeline_id,
              default_stage_id, default_assigned_user_id
         FROM forms WHERE id = $1 AND workspace_id = $2 FOR KEY SHARE`,
      [formId, workspaceId],
    );
    if (!form) throw ApiException.notFound('form');
    return form;
  }
}

interface FormRow {
  fields: StoredField[];
  is_active: boolean;
  default_source: string | null;
  default_status: LeadDefaults['status'];
  default_tags: string[];
  default_pipeline_id: number | null;
  default_stage_id: number | null;
  default_assigned_user_id: number | null;
}

function defaultsOf(f: FormRow): LeadDefaults {
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
