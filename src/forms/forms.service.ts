import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { QueryDeepPartialEntity } from 'typeorm';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateFormDto, FormFiltersDto, UpdateFormDto } from './dto/form.dto';
import { FormResponse } from './dto/form.response';
import type { LeadDefaults, StoredField } from './form-definition';
import { checkDefaultRecords, FormDefinitionChecker } from './form-definition.checker';
import { Form } from './form.entity';
import { FormsRepository } from './forms.repository';
import { LeadsRepository } from '../leads/leads.repository';
import { found } from '../common/crud/found';

@Injectable()
export class FormsService {
  constructor(
    private readonly forms: FormsRepository,
    private readonly leads: LeadsRepository,
  ) {}

  list(workspaceId: number, q: FormFiltersDto): Promise<Page<Form>> {
    return this.forms.list(workspaceId, q);
  }

  async get(workspaceId: number, id: number): Promise<Form> {
    return found(await this.forms.findInWorkspace(workspaceId, id), 'form');
  }

  async create(workspaceId: number, dto: CreateFormDto): Promise<Form> {
    const def = await this.definition(workspaceId, dto.fields, dto.lead_defaults ?? {});
    return this.forms.create({
      workspaceId,
      name: dto.name,
      isActive: dto.is_active ?? true,
      isPublic: dto.is_public ?? false,
      publicId: randomBytes(16).toString('hex'),
      successUrl: dto.success_url ?? null,
      fields: def.fields!,
      ...defaultColumns(def.defaults!),
    });
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
    if (Object.keys(changes).length) await this.forms.update(workspaceId, id, changes);
    return this.get(workspaceId, id);
  }

  /** The leads the form created stay; its submissions are deleted with it. */
  async remove(workspaceId: number, id: number): Promise<void> {
    if (!(await this.forms.delete(workspaceId, id))) throw ApiException.notFound('form');
  }

  /** Checks the fields and lead defaults that were sent (either may be absent on update); all problems at once. */
  private async definition(workspaceId: number, fields: unknown, defaults: unknown) {
    const check = new FormDefinitionChecker();
    const def = {
      fields: fields === undefined ? undefined : check.fields(fields),
      defaults: defaults === undefined ? undefined : check.leadDefaults(defaults),
    };
    if (def.defaults) await checkDefaultRecords(this.leads, workspaceId, def.defaults, check);
    if (!check.ok) throw ApiException.validation(check.errors);
    return def;
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
