import { Injectable } from '@nestjs/common';
import { whereUpdated } from '../common/crud/sync-window';
import { randomBytes } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { type QueryDeepPartialEntity, QueryFailedError, Repository } from 'typeorm';
import { sqlDirection } from '../common/crud/sorting';
import { likePattern } from '../common/crud/like-pattern';
import { findInWorkspace } from '../common/crud/workspace-scope';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateFormDto, FormFiltersDto, UpdateFormDto } from './dto/form.dto';
import { FormResponse } from './dto/form.response';
import type { LeadDefaults, StoredField } from './form-definition';
import { checkDefaultRecords, FormDefinitionChecker } from './form-definition.checker';
import { Form } from './form.entity';

const SORT_COLUMNS = {
  name: 'lower(f.name)',
  created_at: 'f.created_at',
  updated_at: 'f.updated_at',
  submissions_count: 'f.submissions_count',
} as const;

/** A default's record deleted between the check and the write: 422 on its path, not a 500. */
const FOREIGN_KEYS: Record<string, string> = {
  forms_default_pipeline_id_fkey: 'lead_defaults.pipeline_id',
  forms_default_stage_id_fkey: 'lead_defaults.stage_id',
  forms_default_assigned_user_id_fkey: 'lead_defaults.assigned_user_id',
};

@Injectable()
export class FormsService {
  constructor(@InjectRepository(Form) private readonly forms: Repository<Form>) {}

  async list(workspaceId: number, q: FormFiltersDto): Promise<Page<Form>> {
    const qb = this.forms.createQueryBuilder('f').where('f.workspace_id = :workspaceId', { workspaceId });
    if (q.is_active !== undefined) qb.andWhere('f.is_active = :active', { active: q.is_active });
    if (q.search) qb.andWhere('f.name ILIKE :search', { search: likePattern(q.search) });
    whereUpdated(qb, 'f', q);
    const dir = sqlDirection(q.direction);
    const [items, total] = await qb
      .orderBy(SORT_COLUMNS[q.sort], dir)
      .addOrderBy('f.id', dir)
      .take(q.per_page)
      .skip((q.page - 1) * q.per_page)
      .getManyAndCount();
    return { items, total };
  }

  get(workspaceId: number, id: number): Promise<Form> {
    return findInWorkspace(this.forms, workspaceId, id, 'form');
  }

  async create(workspaceId: number, dto: CreateFormDto): Promise<Form> {
    const def = await this.definition(workspaceId, dto.fields, dto.lead_defaults ?? {});
    const form = this.forms.create({
      workspaceId,
      name: dto.name,
      isActive: dto.is_active ?? true,
      isPublic: dto.is_public ?? false,
      publicId: randomBytes(16).toString('hex'),
      successUrl: dto.success_url ?? null,
      fields: def.fields!,
      ...defaultColumns(def.defaults!),
    });
    return this.write(() => this.forms.save(form));
  }

  /** Partial update; `fields` or `lead_defaults`, when sent, replace the stored ones as a whole. */
  async update(workspaceId: number, id: number, dto: UpdateFormDto): Promise<Form> {
    await this.get(workspaceId, id);
    const def = await this.definition(workspaceId, dto.fields, dto.lead_defaults);
    // Only the columns sent, never submissions_count (maintained by concurrent submissions).
    const changes: QueryDeepPartialEntity<Form> = def.defaults ? defaultColumns(def.defaults) : {};
    if (def.fields) changes.fields = def.fields;
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.is_active !== undefined) changes.isActive = dto.is_active;
    if (dto.is_public !== undefined) changes.isPublic = dto.is_public;
    if (dto.success_url !== undefined) changes.successUrl = dto.success_url;
    if (Object.keys(changes).length) await this.write(() => this.forms.update({ id, workspaceId }, changes));
    return this.get(workspaceId, id);
  }

  /** The leads the form created stay; its submissions are deleted with it. */
  async remove(workspaceId: number, id: number): Promise<void> {
    const { affected } = await this.forms.delete({ id, workspaceId });
    if (!affected) throw ApiException.notFound('form');
  }

  /** Checks the fields and lead defaults that were sent (either may be absent on update); all problems at once. */
  private async definition(workspaceId: number, fields: unknown, defaults: unknown) {
    const check = new FormDefinitionChecker();
    const def = {
      fields: fields === undefined ? undefined : check.fields(fields),
      defaults: defaults === undefined ? undefined : check.leadDefaults(defaults),
    };
    if (def.defaults) await checkDefaultRecords(this.forms.manager, workspaceId, def.defaults, check);
    if (!check.ok) throw ApiException.validation(check.errors);
    return def;
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const driver =
        err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : {};
      const path = driver.code === '23503' && driver.constraint ? FOREIGN_KEYS[driver.constraint] : undefined;
      if (path) throw ApiException.field(path, `The ${path} field must be a record of this workspace.`);
      throw err;
    }
  }
}

function defaultColumns(d: LeadDefaults) {
  return {
    defaultSource: d.source,
    defaultStatus: d.status,
    defaultTags: d.tags,
    defaultPipelineId: d.pipeline_id,
    defaultStageId: d.stage_id,
    defaultAssignedUserId: d.assigned_user_id,
  };
}

export function leadDefaultsOf(f: Form): LeadDefaults {
  return {
    source: f.defaultSource,
    status: f.defaultStatus,
    tags: f.defaultTags,
    pipeline_id: f.defaultPipelineId,
    stage_id: f.defaultStageId,
    assigned_user_id: f.defaultAssignedUserId,
  };
}

export function toFormResponse(f: Form): FormResponse {
  return {
    id: f.id,
    name: f.name,
    fields: f.fields.map((x: StoredField) => ({ ...x })),
    lead_defaults: leadDefaultsOf(f),
    is_active: f.isActive,
    submissions_count: f.submissionsCount,
    is_public: f.isPublic,
    public_id: f.publicId,
    success_url: f.successUrl,
    created_at: isoTimestamp(f.createdAt),
    updated_at: isoTimestamp(f.updatedAt),
  };
}
