import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { diff } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { CreateLeadDto, UpdateLeadDto } from './dto/lead.dto';
import type { LeadFiltersDto } from './dto/lead-filters.dto';
import { resolveReferences } from './lead-references';
import { type LeadRecord, SELECT_LEAD, WRITABLE_FIELDS, type WritableField } from './lead-row';
import { createdEvents, updatedEvents } from './lead-events';
import { ensureAndAddLeadTags, ensureTags, removeLeadTag, replaceLeadTags } from './lead-tags.repository';
import { insertLead, lockLead, type LeadValues, touchLead, updateLead } from './lead-writes';
import { buildListQuery } from './leads.query';

type LeadRow = LeadRecord & { total?: number };

@Injectable()
export class LeadsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventsService,
  ) {}

  async list(workspaceId: number, q: LeadFiltersDto): Promise<Page<LeadRecord>> {
    const { sql, params } = buildListQuery(workspaceId, q);
    const rows: LeadRow[] = await this.db.query(sql, params);
    return { items: rows.filter((r) => r.id !== null), total: rows[0]?.total ?? 0 };
  }

  async get(workspaceId: number, id: number, m: EntityManager = this.db.manager): Promise<LeadRecord> {
    const [lead] = await m.query(SELECT_LEAD, [id, workspaceId]);
    if (!lead) throw ApiException.notFound('lead');
    return lead;
  }

  async create(workspaceId: number, dto: CreateLeadDto): Promise<LeadRecord> {
    return this.events.transaction(async (m) => {
      const refs = await resolveReferences(m, workspaceId, null, dto);
      const { id } = await insertLead(m, workspaceId, { ...fieldsOf(dto), ...refs });
      const added = dto.tags ? await replaceLeadTags(m, id, await ensureTags(m, workspaceId, dto.tags)) : [];
      const lead = await this.get(workspaceId, id, m);
      await this.events.record(m, createdEvents(lead, added));
      return lead;
    });
  }

  /**
   * PUT and PATCH: only the fields sent change; nothing changed → no write, no event. `outer`: run in the
   * caller's transaction (the automation engine), else in a transaction of its own.
   */
  async update(
    workspaceId: number,
    id: number,
    dto: UpdateLeadDto,
    outer?: EntityManager,
  ): Promise<LeadRecord> {
    return this.events.transaction(async (m) => {
      const before = await this.locked(m, workspaceId, id);
      const refs = await resolveReferences(m, workspaceId, before, dto);
      const changes = diff(before as unknown as Record<string, unknown>, { ...fieldsOf(dto), ...refs });
      const values: LeadValues = Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.to]));
      if (Object.keys(values).length) await updateLead(m, workspaceId, id, values);
      const added = dto.tags ? await replaceLeadTags(m, id, await ensureTags(m, workspaceId, dto.tags)) : [];
      let after = await this.get(workspaceId, id, m);
      Object.assign(changes, diff({ tags: before.tags }, { tags: after.tags }));
      if (!Object.keys(changes).length) return after;
      if (!Object.keys(values).length) {
        await touchLead(m, id); // only the tags changed
        after = await this.get(workspaceId, id, m);
      }
      await this.events.record(m, updatedEvents(after, changes, added));
      return after;
    }, outer);
  }

  async remove(workspaceId: number, id: number): Promise<void> {
    const [, count]: [unknown, number] = await this.db.query(
      'DELETE FROM leads WHERE id = $1 AND workspace_id = $2',
      [id, workspaceId],
    );
    if (!count) throw ApiException.notFound('lead');
  }

  /** Idempotent: adding a tag the lead has changes nothing. */
  async addTag(workspaceId: number, id: number, name: string, outer?: EntityManager): Promise<LeadRecord> {
    return this.events.transaction(async (m) => {
      const before = await this.locked(m, workspaceId, id);
      const added = await ensureAndAddLeadTags(m, workspaceId, id, [name]);
      if (!added.length) return before;
      await touchLead(m, id);
      const after = await this.get(workspaceId, id, m);
      await this.events.record(
        m,
        updatedEvents(after, diff({ tags: before.tags }, { tags: after.tags }), added),
      );
      return after;
    }, outer);
  }

  /** Idempotent: removing a tag the lead does not have (or an unknown tag) changes nothing. */
  async removeTag(workspaceId: number, id: number, name: string, outer?: EntityManager): Promise<LeadRecord> {
    return this.events.transaction(async (m) => {
      const before = await this.locked(m, workspaceId, id);
      if (!(await removeLeadTag(m, workspaceId, id, name))) return before;
      await touchLead(m, id);
      const after = await this.get(workspaceId, id, m);
      await this.events.record(
        m,
        updatedEvents(after, diff({ tags: before.tags }, { tags: after.tags }), []),
      );
      return after;
    }, outer);
  }

  private async locked(m: EntityManager, workspaceId: number, id: number): Promise<LeadRecord> {
    const lead = await lockLead<LeadRecord>(m, workspaceId, id);
    if (!lead) throw ApiException.notFound('lead');
    return lead;
  }
}

/** The writable fields present in a request (references are resolved separately). */
function fieldsOf(dto: CreateLeadDto | UpdateLeadDto): LeadValues {
  const refs: WritableField[] = ['pipeline_id', 'pipeline_stage_id', 'assigned_user_id'];
  const out: LeadValues = {};
  for (const f of WRITABLE_FIELDS) if (!refs.includes(f) && dto[f] !== undefined) out[f] = dto[f];
  return out;
}
