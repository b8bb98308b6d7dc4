import { LEAD_STATUSES, type LeadStatus } from '../leads/lead.entity';
import { CUSTOM_FIELD_VALUE_MAX, NOTES_MAX } from '../leads/dto/lead-fields';

/** The vocabulary of form definitions: field types, the lead fields a field may fill, limits. */

export const FIELD_TYPES = ['text', 'email', 'phone', 'textarea', 'select', 'checkbox', 'hidden'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Lead fields a form field may map to (besides `custom_fields.KEY`), with their maximum lengths. */
export const MAPPABLE_FIELDS = {
  first_name: 255,
  last_name: 255,
  email: 320,
  phone: 50,
  company: 255,
  source: 100,
  notes: NOTES_MAX,
} as const;
export type MappableField = keyof typeof MAPPABLE_FIELDS;

export const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;
export const CUSTOM_FIELD_TARGET = /^custom_fields\.([A-Za-z0-9_-]{1,64})$/;
export const MAX_FIELDS = 50;
export const MAX_OPTIONS = 100;
export const OPTION_MAX = 255;
export const LABEL_MAX = 255;

/** Longest value a field of each type accepts (before the limit of what it maps to). */
export const TYPE_MAX_LENGTH: Record<Exclude<FieldType, 'checkbox'>, number> = {
  text: 255,
  email: 320,
  phone: 50,
  textarea: NOTES_MAX,
  select: OPTION_MAX,
  hidden: CUSTOM_FIELD_VALUE_MAX,
};

export interface StoredField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  options: string[] | null;
  maps_to: string | null;
}

/** What a field's value goes to on the lead: a lead field, or a custom_fields key (its own name when unmapped). */
export type Target = { field: MappableField } | { custom: string };

export function targetOf(f: Pick<StoredField, 'name' | 'maps_to'>): Target {
  if (f.maps_to === null) return { custom: f.name };
  const custom = CUSTOM_FIELD_TARGET.exec(f.maps_to);
  return custom ? { custom: custom[1] } : { field: f.maps_to as MappableField };
}

/** The longest string value a (non-checkbox) field accepts. */
export function maxLengthOf(f: StoredField): number {
  const t = targetOf(f);
  const target = 'field' in t ? MAPPABLE_FIELDS[t.field] : CUSTOM_FIELD_VALUE_MAX;
  return Math.min(TYPE_MAX_LENGTH[f.type as Exclude<FieldType, 'checkbox'>], target);
}

export interface LeadDefaults {
  source: string | null;
  status: LeadStatus | null;
  tags: string[];
  pipeline_id: number | null;
  stage_id: number | null;
  assigned_user_id: number | null;
}

export const DEFAULT_SOURCE = 'form';

export { LEAD_STATUSES };
