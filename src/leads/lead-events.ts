import type { Changes, DomainEvent } from '../events/domain-event';
import { type LeadRecord, WRITABLE_FIELDS } from './lead-record';
import type { TagRef } from './lead-tags.repository';

/** lead.created with every field set, plus tag.added for each tag. */
export function createdEvents(lead: LeadRecord, added: TagRef[]): DomainEvent[] {
  const base = { workspaceId: lead.workspace_id, leadId: lead.id };
  const changes: Changes = {};
  for (const f of [...WRITABLE_FIELDS, 'tags' as const]) {
    const to = lead[f];
    if (to !== null && JSON.stringify(to) !== '[]' && JSON.stringify(to) !== '{}')
      changes[f] = { from: null, to };
  }
  return [{ ...base, type: 'lead.created', changes }, ...tagEvents(lead, added)];
}

/** lead.updated with every change, plus lead.status_changed, lead.stage_changed and tag.added as they apply. */
export function updatedEvents(lead: LeadRecord, changes: Changes, added: TagRef[]): DomainEvent[] {
  if (!Object.keys(changes).length) return [];
  const base = { workspaceId: lead.workspace_id, leadId: lead.id };
  const events: DomainEvent[] = [{ ...base, type: 'lead.updated', changes }];
  if (changes.status)
    events.push({ ...base, type: 'lead.status_changed', changes: { status: changes.status } });
  if (changes.pipeline_stage_id || changes.pipeline_id) {
    const stage: Changes = {};
    if (changes.pipeline_id) stage.pipeline_id = changes.pipeline_id;
    if (changes.pipeline_stage_id) stage.pipeline_stage_id = changes.pipeline_stage_id;
    events.push({ ...base, type: 'lead.stage_changed', changes: stage });
  }
  return [...events, ...tagEvents(lead, added)];
}

function tagEvents(lead: LeadRecord, added: TagRef[]): DomainEvent[] {
  return added.map((t) => ({
    type: 'tag.added' as const,
    workspaceId: lead.workspace_id,
    leadId: lead.id,
    changes: { tag: { from: null, to: t.name } },
  }));
}
