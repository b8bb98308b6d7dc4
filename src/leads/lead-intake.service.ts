import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { Changes } from '../events/domain-event';
import { EventsService } from '../events/events.service';
import { CUSTOM_FIELDS_MAX_KEYS, type CustomFields, phoneDigits } from './dto/lead-fields';
import type { LeadStatus } from './lead.entity';
import { namesReferences } from './lead-references';
import { createdEvents, updatedEvents } from './lead-events';
import type { LeadRecord } from './lead-record';
import { LeadTagsRepository } from './lead-tags.repository';
import { type LeadValues, LeadsRepository } from './leads.repository';
import { LeadsService } from './leads.service';

/** A lead arriving from outside (inbound endpoint, later form submissions); validated by the caller. */
export interface IntakeInput {
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  source?: string | null;
  notes?: string | null;
  tags?: string[];
  custom_fields?: CustomFields;
  /** Applied only when a new lead is created. */
  status?: LeadStatus;
  lead_score?: number;
  starred?: boolean;
  pipeline_id?: number | null;
  pipeline_stage_id?: number | null;
  assigned_user_id?: number | null;
}

export interface IntakeResult {
  leadId: number;
  isDuplicate: boolean;
}

/** A phone matches another only with at least this many digits (so "0" or "112" never merge leads). */
export const MIN_PHONE_DIGITS_FOR_MATCH = 7;
/** Fields a duplicate may fill when empty; never overwritten. */
const FILLABLE = ['first_name', 'last_name', 'email', 'phone', 'company', 'source', 'notes'] as const;

/**
 * Creates a lead or merges into the one it duplicates (same email, case-insensitive, or same phone digits).
 * Exactly one lead per email/phone even under concurrency: the transaction takes advisory locks on the
 * workspace's normalised email and phone keys (always email first, then phone: a fixed order, so no
 * deadlock) before it looks for a duplicate, so a second identical submission waits and then finds the first.
 */
@Injectable()
export class LeadIntakeService {
  constructor(
    private readonly leadsService: LeadsService,
    private readonly leads: LeadsRepository,
    private readonly tags: LeadTagsRepository,
    private readonly events: EventsService,
  ) {}

  /**
   * In the caller's transaction when there is one (its events are emitted when that one commits). A new lead
   * costs four statements: the advisory locks, then one that looks for the duplicate and (none found) inserts
   * the lead with its tags, the events, COMMIT (and the BEGIN before them).
   */
  @Transactional()
  async intake(workspaceId: number, input: IntakeInput): Promise<IntakeResult> {
    const email = input.email?.trim() || null;
    const digits = phoneDigits(input.phone);
    const phoneKey = digits && digits.length >= MIN_PHONE_DIGITS_FOR_MATCH ? digits : null;
    if (namesReferences(input)) {
      // Its pipeline/stage/user are checked (a 422) only when no duplicate absorbs it: look for that first.
      const existing = await this.leads.lockDuplicate(workspaceId, email, phoneKey);
      if (existing) return { leadId: await this.merge(existing, input), isDuplicate: true };
      return this.create(workspaceId, { ...input, email });
    }
    await this.leads.lockIntakeKeys(workspaceId, email, phoneKey);
    return this.create(workspaceId, { ...input, email }, { email, phoneKey });
  }

  /** Inserts the lead unless (with `unlessDuplicateOf`, after the locks) it finds the duplicate to merge into. */
  private async create(
    workspaceId: number,
    input: IntakeInput,
    unlessDuplicateOf?: { email: string | null; phoneKey: string | null },
  ): Promise<IntakeResult> {
    const refs = await this.leadsService.resolveReferences(workspaceId, null, input);
    const values: LeadValues = { ...refs, first_name: input.first_name?.trim() || fallbackName(input) };
    for (const f of FILLABLE) if (f !== 'first_name' && input[f] != null) values[f] = input[f];
    if (input.status) values.status = input.status;
    if (input.lead_score !== undefined) values.lead_score = input.lead_score;
    if (input.starred !== undefined) values.starred = input.starred;
    if (input.custom_fields) values.custom_fields = input.custom_fields;
    const tags = input.tags ?? [];
    const done = await this.leads.insertWithTags(workspaceId, values, tags, unlessDuplicateOf);
    if (done.duplicate) return { leadId: await this.merge(done.duplicate, input), isDuplicate: true };
    const { lead } = done;
    const added = done.tagsMissing
      ? await this.leadsService.linkMissingTags(workspaceId, lead.id, tags, done.added)
      : done.added;
    await this.events.record(createdEvents({ ...lead, tags: added.map((t) => t.name).sort(byName) }, added));
    return { leadId: lead.id, isDuplicate: false };
  }

  /** Fills only empty fields, adds tags and missing custom_fields keys; never overwrites. */
  private async merge(lead: LeadRecord, input: IntakeInput): Promise<number> {
    const changes: Changes = {};
    for (const f of FILLABLE) {
      const value = input[f];
      if ((lead[f] === null || lead[f] === '') && value != null && value !== '')
        changes[f] = { from: lead[f], to: value };
    }
    const missing = Object.entries(input.custom_fields ?? {}).filter(
      ([k]) => !Object.hasOwn(lead.custom_fields, k),
    );
    const room = Math.max(0, CUSTOM_FIELDS_MAX_KEYS - Object.keys(lead.custom_fields).length);
    if (missing.length && room) {
      const merged = { ...lead.custom_fields, ...Object.fromEntries(missing.slice(0, room)) };
      changes.custom_fields = { from: lead.custom_fields, to: merged };
    }
    const values: LeadValues = Object.fromEntries(Object.entries(changes).map(([f, c]) => [f, c.to]));
    const added = input.tags?.length
      ? await this.tags.ensureAndAdd(lead.workspace_id, lead.id, input.tags)
      : [];
    if (added.length) {
      const tags = [...lead.tags, ...added.map((t) => t.name)].sort(byName);
      changes.tags = { from: lead.tags, to: tags };
    }
    if (!Object.keys(changes).length) return lead.id;
    await this.leads.update(lead.workspace_id, lead.id, values);
    await this.events.record(updatedEvents(lead, changes, added));
    return lead.id;
  }
}

/** first_name is required: without one, the email's local part (or the phone, or "Unknown"). */
function fallbackName(input: IntakeInput): string {
  const local = input.email?.split('@')[0]?.trim();
  return (local || input.phone?.trim() || 'Unknown').slice(0, 255);
}

function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}
