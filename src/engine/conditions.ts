import { CUSTOM_FIELD, type Scalar, type StoredCondition } from '../automations/automation-definition';
import type { LeadRecord } from '../leads/lead-record';

/**
 * Whether every condition holds for the lead as it is now (no conditions: always). Text is compared
 * case-insensitively (`equals`, `not_equals`, `in`, `contains`); `contains` on tags means "has this tag";
 * `in` on tags means "has one of these tags"; `gt`/`lt` hold only for numbers (a custom field holding a
 * numeric string counts as that number); empty means null, "", [] or {} (a missing custom field is empty).
 */
export function conditionsHold(conditions: StoredCondition[], lead: LeadRecord): boolean {
  return conditions.every((c) => holds(c, fieldValue(lead, c.field)));
}

export function fieldValue(lead: LeadRecord, field: string): unknown {
  const custom = CUSTOM_FIELD.exec(field);
  if (custom) {
    const fields = (lead.custom_fields ?? {}) as Record<string, unknown>;
    return Object.prototype.hasOwnProperty.call(fields, custom[1]) ? fields[custom[1]] : null;
  }
  if (field === 'tags') return lead.tags ?? [];
  return (lead as unknown as Record<string, unknown>)[field] ?? null;
}

function holds(c: StoredCondition, actual: unknown): boolean {
  const expected = c.value;
  switch (c.operator) {
    case 'is_empty':
      return isEmpty(actual);
    case 'is_not_empty':
      return !isEmpty(actual);
    case 'equals':
      return same(actual, expected as Scalar);
    case 'not_equals':
      return !same(actual, expected as Scalar);
    case 'in': {
      const values = (Array.isArray(expected) ? expected : [expected]) as Scalar[];
      if (Array.isArray(actual)) return actual.some((a) => values.some((v) => same(a, v)));
      return values.some((v) => same(actual, v));
    }
    case 'contains': {
      if (Array.isArray(actual)) return actual.some((a) => same(a, expected as Scalar));
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      return actual.toLowerCase().includes(expected.toLowerCase());
    }
    case 'gt':
    case 'lt': {
      const n = numeric(actual);
      if (n === undefined || typeof expected !== 'number') return false;
      return c.operator === 'gt' ? n > expected : n < expected;
    }
  }
}

function same(actual: unknown, expected: Scalar): boolean {
  if (typeof actual === 'string' && typeof expected === 'string')
    return actual.toLowerCase() === expected.toLowerCase();
  if (typeof expected === 'number') return numeric(actual) === expected;
  return actual === expected;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
