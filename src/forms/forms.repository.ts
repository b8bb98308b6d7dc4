import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm';
import { type ConstraintField, fieldOnConstraint } from '../common/crud/database-errors';
import { likePattern } from '../common/crud/workspace-scope';
import type { Page } from '../common/pagination/paginated-response';
import { sortedPage } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import type { FormFiltersDto } from './dto/form.dto';
import { Form } from './form.entity';

const SORT_COLUMNS = {
  name: 'lower(f.name)',
  created_at: 'f.created_at',
  updated_at: 'f.updated_at',
  submissions_count: 'f.submissions_count',
} as const;

/** A default's record deleted between the check and the write: 422 on its path, not a 500. */
const FOREIGN_KEYS: Record<string, ConstraintField> = Object.fromEntries(
  (
    [
      ['forms_default_pipeline_id_fkey', 'lead_defaults.pipeline_id'],
      ['forms_default_stage_id_fkey', 'lead_defaults.stage_id'],
      ['forms_default_assigned_user_id_fkey', 'lead_defaults.assigned_user_id'],
    ] as const
  ).map(([constraint, field]) => [
    constraint,
    { field, message: `The ${field} field must be a record of this workspace.` },
  ]),
);

/** `forms` (their submissions: FormSubmissionsRepository). */
@Injectable()
export class FormsRepository extends TxRepository {
  private get forms() {
    return this.tx.getRepository(Form);
  }

  list(workspaceId: number, q: FormFiltersDto): Promise<Page<Form>> {
    const qb = this.forms.createQueryBuilder('f').where('f.workspace_id = :workspaceId', { workspaceId });
    if (q.is_active !== undefined) qb.andWhere('f.is_active = :active', { active: q.is_active });
    if (q.search) qb.andWhere('f.name ILIKE :search', { search: likePattern(q.search) });
    return sortedPage(qb, 'f', q, SORT_COLUMNS);
  }

  findInWorkspace(workspaceId: number, id: number): Promise<Form | null> {
    return this.forms.findOneBy({ id, workspaceId });
  }

  create(values: Partial<Form>): Promise<Form> {
    return fieldOnConstraint(() => this.forms.save(this.forms.create(values)), FOREIGN_KEYS);
  }

  /** Writes only the given columns. */
  async update(workspaceId: number, id: number, changes: QueryDeepPartialEntity<Form>): Promise<void> {
    await fieldOnConstraint(() => this.forms.update({ id, workspaceId }, changes), FOREIGN_KEYS);
  }

  /** Deletes the form (and, by cascade, its submissions); returns whether the workspace had it. */
  async delete(workspaceId: number, id: number): Promise<boolean> {
    const { affected } = await this.forms.delete({ id, workspaceId });
    return !!affected;
  }
}
