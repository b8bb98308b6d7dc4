import { CUSTOM_FIELD_VALUE_MAX } from '../../leads/dto/lead-fields';

/**
 * What outside senders (webhooks, no-code tools, HTML forms) send, made into what a typed API expects — so a
 * lead is never lost over a blank, a number sent as a string or an extra field (DESIGN.md "Responses").
 */

/** `""`, whitespace and `null` mean "not sent". */
export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** `firstName`, `First Name`, `first-name` → `first_name`; letters of any script are kept. */
export function snakeCase(key: string): string {
  return key
    .trim()
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1_$2')
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** A value kept as a custom field or an extra form value: scalars as they are, anything else as its JSON. */
export function scalarOf(v: unknown): string | number | boolean {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v).slice(0, CUSTOM_FIELD_VALUE_MAX + 1); // over the bound: still refused by validation
}

/** `"true"`, `"on"`, `"1"`, `"yes"` → true; `"false"`, `"off"`, `"0"`, `"no"` → false; anything else unchanged. */
export function coerceBoolean(v: unknown): unknown {
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : v;
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['true', 'on', '1', 'yes'].includes(s)) return true;
  if (['false', 'off', '0', 'no'].includes(s)) return false;
  return v;
}

/** `"42"` → 42 (integers only); anything else unchanged. */
export function coerceInteger(v: unknown): unknown {
  return typeof v === 'string' && /^\s*-?\d{1,10}\s*$/.test(v) ? Number(v) : v;
}
