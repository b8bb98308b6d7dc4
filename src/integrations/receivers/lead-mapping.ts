import {
  CUSTOM_FIELD_KEY_MAX,
  CUSTOM_FIELD_VALUE_MAX,
  CUSTOM_FIELDS_MAX_KEYS,
  type CustomFields,
  PHONE_PATTERN,
  TAG_NAME_MAX,
  TAGS_MAX,
} from '../../leads/dto/lead-fields';
import type { IntakeInput } from '../../leads/lead-intake.service';

/** One answer of an outside lead form: the question's key and its value. */
export interface Answer {
  key: string;
  value: string;
}

/** Lead fields the standard keys of each service fill (anything else goes to custom_fields). */
export const FACEBOOK_FIELDS: Record<string, string> = {
  email: 'email',
  full_name: 'full_name',
  first_name: 'first_name',
  last_name: 'last_name',
  phone_number: 'phone',
  company_name: 'company',
};

export const GOOGLE_FIELDS: Record<string, string> = {
  FULL_NAME: 'full_name',
  FIRST_NAME: 'first_name',
  LAST_NAME: 'last_name',
  EMAIL: 'email',
  WORK_EMAIL: 'email',
  PHONE_NUMBER: 'phone',
  WORK_PHONE: 'phone',
  COMPANY_NAME: 'company',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LIMITS: Record<string, number> = {
  first_name: 255,
  last_name: 255,
  company: 255,
  notes: 10_000,
};

/**
 * Turns the answers of an outside lead form into an intake input. The integration's `field_mapping` (key →
 * lead field or custom_fields.KEY) wins over the service's standard keys; the first answer for a field wins;
 * a full name fills first and last name when those are not given; an answer that does not fit its field (an
 * email that is not one, an over-long name) and every other answer is kept in custom_fields instead, so no
 * answer is lost. Tags: the integration's, plus `extraTags`.
 */
export function mapAnswers(
  answers: Answer[],
  standard: Record<string, string>,
  o: { source: string; mapping?: Record<string, string>; tags?: string[]; extraTags?: string[] },
): IntakeInput {
  const lead: Record<string, string> = {};
  const custom: CustomFields = {};
  const keep = (key: string, value: string) => {
    const k = key.slice(0, CUSTOM_FIELD_KEY_MAX);
    if (k && !(k in custom) && Object.keys(custom).length < CUSTOM_FIELDS_MAX_KEYS)
      custom[k] = value.slice(0, CUSTOM_FIELD_VALUE_MAX);
  };
  for (const { key, value } of answers) {
    const v = value.trim();
    if (!v) continue;
    const target = o.mapping?.[key] ?? standard[key];
    if (target?.startsWith('custom_fields.')) keep(target.slice('custom_fields.'.length), v);
    else if (target && fits(target, v) && !(target in lead)) lead[target] = v;
    else keep(key, v);
  }
  if (lead.full_name) {
    const [first, ...rest] = lead.full_name.split(/\s+/);
    lead.first_name ??= first.slice(0, 255);
    if (rest.length) lead.last_name ??= rest.join(' ').slice(0, 255);
  }
  const tags = [...new Set([...(o.tags ?? []), ...(o.extraTags ?? [])])]
    .filter((t) => t.trim() && t.length <= TAG_NAME_MAX)
    .slice(0, TAGS_MAX);
  return {
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    first_name: lead.first_name ?? null,
    last_name: lead.last_name ?? null,
    company: lead.company ?? null,
    notes: lead.notes ?? null,
    source: o.source,
    tags,
    custom_fields: custom,
  };
}

function fits(field: string, v: string): boolean {
  if (field === 'email') return EMAIL.test(v) && v.length <= 320;
  if (field === 'phone') return PHONE_PATTERN.test(v) && v.length <= 50;
  if (field === 'full_name') return v.length <= 511;
  return v.length <= (LIMITS[field] ?? 255);
}
