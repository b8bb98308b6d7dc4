import { isoTimestamp } from '../common/time';
import type { CustomFields } from './dto/lead-fields';
import type { LeadResponse } from './dto/lead.response';
import type { LeadStatus } from './lead.entity';

/** A lead as the services pass it around: the row's API-named fields plus its tag names. */
export interface LeadRecord {
  id: number;
  workspace_id: number;
  first_name: string;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  phone_digits: string | null;
  company: string | null;
  source: string | null;
  status: LeadStatus;
  pipeline_id: number | null;
  pipeline_stage_id: number | null;
  assigned_user_id: number | null;
  notes: string | null;
  custom_fields: CustomFields;
  tags: string[];
  lead_score: number;
  starred: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Fields a client writes, by API name (the columns have the same names). */
export const WRITABLE_FIELDS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'company',
  'source',
  'status',
  'pipeline_id',
  'pipeline_stage_id',
  'assigned_user_id',
  'notes',
  'custom_fields',
  'lead_score',
  'starred',
] as const;
export type WritableField = (typeof WRITABLE_FIELDS)[number];

export function toLeadResponse(l: LeadRecord): LeadResponse {
  return {
    id: l.id,
    first_name: l.first_name,
    last_name: l.last_name,
    email: l.email,
    phone: l.phone,
    company: l.company,
    source: l.source,
    status: l.status,
    pipeline_id: l.pipeline_id,
    pipeline_stage_id: l.pipeline_stage_id,
    assigned_user_id: l.assigned_user_id,
    notes: l.notes,
    custom_fields: l.custom_fields ?? {},
    tags: l.tags ?? [],
    lead_score: l.lead_score,
    starred: l.starred,
    created_at: isoTimestamp(l.created_at),
    updated_at: isoTimestamp(l.updated_at),
  };
}
