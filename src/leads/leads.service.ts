import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { diff } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { CreateLeadDto, UpdateLeadDto } from './dto/lead.dto';
import type { LeadFiltersDto } from './dto/lead-filters.dto';
import { createdEvents, updatedEvents } from './lead-events';
import { type LeadRecord, WRITABLE_FIELDS, type WritableField } from './lead-record';
import { namesReferences, type ReferenceInput, type References, settleReferences } from './lead-references';
import { LeadTagsRepository, type TagRef } from './lead-tags.repository';
import { type LeadValues, LeadsRepository } from './leads.repository';
import { found } from '../common/crud/found';

/**
 * Leads: the rules of reading and changing them. Every change runs in one transaction (joining the caller's,
 * e.g. the automation engine's or an idempotent request's) and records its domain events in it.
 */
@Injectable()
export class LeadsService {
  constructor(
    private readonly leads: LeadsRepository,
    private readonly tags: LeadTagsRepository,
    private readonly events: EventsService,
  ) {}

  list(workspaceId: number, q: LeadFiltersDto): Promise<Page<LeadRecord>> {
    return this.leads.list(workspaceId, q);
  }

  async get(workspaceId: number, id: number): Promise<LeadRecord> {
    return found(await this.find(workspaceId, id), 'lead');
  }

  /** The workspace's leads among these ids, by id (one statement; an id not found is absent). */
  async findMany(workspaceId: number, ids: readonly number[]): Promise<Map<number, LeadRecord>> {
    const rows = await this.leads.findMany(workspaceId, [...new Set(ids)]);
    return new Map(rows.map((l) => [l.id, l]));
  }

  /** The lead, or undefined when the workspace has no such lead (deleted meanwhile, for the engine). */
  find(workspaceId: number, id: number): Promise<LeadRecord | undefined> {
    return this.leads.findInWorkspace(workspaceId, id);
  }

  @Transactional()
  async create(workspaceId: number, dto: CreateLeadDto): Promise<LeadRecord> {
    const refs = await this.resolveReferences(workspaceId, null, dto);
    // The lead and its tags in one statement (BEGIN, this, the events, COMMIT).
    const done = await this.leads.insertWithTags(workspaceId, { ...fieldsOf(dto), ...refs }, dto.tags ?? []);
    if (done.duplicate) throw new Error('insertWithTags found a duplicate it was not asked to look for');
    let { lead, added } = done;
    if (done.tagsMissing) {
      added = await this.linkMissingTags(workspaceId, lead.id, dto.tags ?? [], added);
      lead = await this.get(workspaceId, lead.id);
    }
    await this.events.record(createdEvents(lead, added));
    return lead;
  }

  /**
   * After insertWithTags left some tags unlinked (created by a concurrent transaction after its snapshot): links
   * all of `names` to the new lead; returns every tag added to it (`added` and these).
   */
  async linkMissingTags(
    workspaceId: number,
    leadId: number,
    names: readonly string[],
    added: TagRef[],
  ): Promise<TagRef[]> {
    const more = await this.tags.add(leadId, await this.tags.ensureTags(workspaceId, names));
    return [...added, ...more.filter((t) => !added.some((a) => a.id === t.id))];
  }

  /** PUT and PATCH: only the fields sent change; nothing changed → no write, no event. */
  @Transactional()
  async update(workspaceId: number, id: number, dto: UpdateLeadDto): Promise<LeadRecord> {
    const before = await this.locked(workspaceId, id);
    const refs = await this.resolveReferences(workspaceId, before, dto);
    const changes = diff(before as unknown as Record<string, unknown>, { ...fieldsOf(dto), ...refs });
    const values: LeadValues = Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.to]));
    if (Object.keys(values).length) await this.leads.update(workspaceId, id, values);
    const added = dto.tags
      ? await this.tags.replace(id, await this.tags.ensureTags(workspaceId, dto.tags))
      : [];
    let after = await this.get(workspaceId, id);
    Object.assign(changes, diff({ tags: before.tags }, { tags: after.tags }));
    if (!Object.keys(changes).length) return after;
    if (!Object.keys(values).length) {
      after = found(await this.leads.touchAndGet(workspaceId, id), 'lead'); // only the tags changed
    }
    await this.events.record(updatedEvents(after, changes, added));
    return after;
  }

  async remove(workspaceId: number, id: number): Promise<void> {
    if (!(await this.leads.delete(workspaceId, id))) throw ApiException.notFound('lead');
  }

  /** Idempotent: adding a tag the lead has changes nothing. */
  @Transactional()
  async addTag(workspaceId: number, id: number, name: string): Promise<LeadRecord> {
    const before = await this.locked(workspaceId, id);
    const added = await this.tags.ensureAndAdd(workspaceId, id, [name]);
    if (!added.length) return before;
    const after = found(await this.leads.touchAndGet(workspaceId, id), 'lead');
    await this.events.record(updatedEvents(after, diff({ tags: before.tags }, { tags: after.tags }), added));
    return after;
  }

  /** Idempotent: removing a tag the lead does not have (or an unknown tag) changes nothing. */
  @Transactional()
  async removeTag(workspaceId: number, id: number, name: string): Promise<LeadRecord> {
    const before = await this.locked(workspaceId, id);
    if (!(await this.tags.remove(workspaceId, id, name))) return before;
    const after = found(await this.leads.touchAndGet(workspaceId, id), 'lead');
    await this.events.record(updatedEvents(after, diff({ tags: before.tags }, { tags: after.tags }), []));
    return after;
  }

  /**
   * The pipeline, stage and user a write names, checked against the workspace (422 naming the field) and
   * settled into the reference columns to write (see settleReferences).
   */
  async resolveReferences(
    workspaceId: number,
    current: References | null,
    input: ReferenceInput,
  ): Promise<Partial<References>> {
    if (!namesReferences(input)) return {};
    return settleReferences(await this.leads.findReferences(workspaceId, input), current, input);
  }

  private async locked(workspaceId: number, id: number): Promise<LeadRecord> {
    return found(await this.leads.lockInWorkspace(workspaceId, id), 'lead');
  }
}

/** The writable fields present in a request (references are resolved separately). */
function fieldsOf(dto: CreateLeadDto | UpdateLeadDto): LeadValues {
  const refs: WritableField[] = ['pipeline_id', 'pipeline_stage_id', 'assigned_user_id'];
  const out: LeadValues = {};
  for (const f of WRITABLE_FIELDS) if (!refs.includes(f) && dto[f] !== undefined) out[f] = dto[f];
  return out;
}
