import { Injectable } from '@nestjs/common';
import { pageWindow, type PageQuery } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import type { LeadDefaults, StoredField } from './form-definition';
import type { SubmittedValues } from './form-submission.validator';

export interface SubmissionRow {
  id: number;
  form_id: number;
  lead_id: number | null;
  is_duplicate: boolean;
  values: SubmittedValues;
  created_at: Date;
}

/** What a submission needs of its form. */
export interface SubmissionForm {
  fields: StoredField[];
  is_active: boolean;
  default_source: string | null;
  default_status: LeadDefaults['status'];
  default_tags: string[];
  default_pipeline_id: number | null;
  default_stage_id: number | null;
  default_assigned_user_id: number | null;
}

/** `form_submissions` (and the form's counter of them). */
@Injectable()
export class FormSubmissionsRepository extends TxRepository {
  /** The form, held with FOR KEY SHARE: not deletable meanwhile, while other submissions and edits proceed. */
  async lockForm(workspaceId: number, formId: number): Promise<SubmissionForm | undefined> {
    const [form]: SubmissionForm[] = await this.tx.query(
      `SELECT fields, is_active, default_source, default_status, default_tags, default_pipeline_id,
              default_stage_id, default_assigned_user_id
         FROM forms WHERE id = $1 AND workspace_id = $2 FOR KEY SHARE`,
      [formId, workspaceId],
    );
    return form;
  }

  /** Stores a submission and counts it on its form. */
  async insert(
    workspaceId: number,
    formId: number,
    s: { leadId: number; isDuplicate: boolean; values: SubmittedValues },
  ): Promise<SubmissionRow> {
    const [row]: SubmissionRow[] = await this.tx.query(
      `INSERT INTO form_submissions (workspace_id, form_id, lead_id, is_duplicate, "values")
       VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING *`,
      [workspaceId, formId, s.leadId, s.isDuplicate, JSON.stringify(s.values)],
    );
    await this.tx.query('UPDATE forms SET submissions_count = submissions_count + 1 WHERE id = $1', [formId]);
    return row;
  }

  /** How many submissions the form has (its counter); undefined when it is not the workspace's. */
  async countOfForm(workspaceId: number, formId: number): Promise<number | undefined> {
    const [form]: { total: number }[] = await this.tx.query(
      'SELECT submissions_count AS total FROM forms WHERE id = $1 AND workspace_id = $2',
      [formId, workspaceId],
    );
    return form?.total;
  }

  /** One page of the form's submissions, newest first. */
  listOfForm(formId: number, q: PageQuery): Promise<SubmissionRow[]> {
    const { take, skip } = pageWindow(q);
    return this.tx.query(
      `SELECT * FROM form_submissions WHERE form_id = $1
        ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [formId, take, skip],
    );
  }

  async findInForm(workspaceId: number, formId: number, id: number): Promise<SubmissionRow | undefined> {
    const [row]: SubmissionRow[] = await this.tx.query(
      'SELECT * FROM form_submissions WHERE id = $1 AND form_id = $2 AND workspace_id = $3',
      [id, formId, workspaceId],
    );
    return row;
  }

  /** A published form by its public id. */
  async findPublished(
    publicId: string,
  ): Promise<{ id: number; workspace_id: number; success_url: string | null } | undefined> {
    const [row]: { id: number; workspace_id: number; success_url: string | null }[] = await this.tx.query(
      'SELECT id, workspace_id, success_url FROM forms WHERE public_id = $1 AND is_public',
      [publicId],
    );
    return row;
  }
}
