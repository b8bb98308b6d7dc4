export const DOMAIN_EVENT_TYPES = [
  'lead.created',
  'lead.updated',
  'lead.status_changed',
  'lead.stage_changed',
  'tag.added',
  'form.submitted',
] as const;
export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number];

/** What changed, by API field name: `{status: {from: "new", to: "qualified"}}`. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

export interface DomainEvent {
  type: DomainEventType;
  workspaceId: number;
  leadId: number;
  changes: Changes;
}

/** An event as stored in the outbox and emitted after its transaction committed. */
export interface RecordedEvent extends DomainEvent {
  /** The outbox row id (bigint as a string). */
  id: string;
  createdAt: Date;
}

/** `from`/`to` of every field whose value differs (compared as JSON). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Changes {
  const changes: Changes = {};
  for (const [field, to] of Object.entries(after)) {
    const from = before[field];
    if (canonical(from ?? null) !== canonical(to ?? null))
      changes[field] = { from: from ?? null, to: to ?? null };
  }
  return changes;
}

/** JSON with object keys sorted, so `{a, b}` equals `{b, a}` (jsonb reorders keys). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
