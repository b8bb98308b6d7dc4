import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments } from 'class-validator';

export const CUSTOM_FIELDS_MAX_KEYS = 100;
export const CUSTOM_FIELD_KEY_MAX = 64;
export const CUSTOM_FIELD_VALUE_MAX = 1000;
export const TAGS_MAX = 50;
export const TAG_NAME_MAX = 100;
export const NOTES_MAX = 10_000;
/** `+`, digits, spaces, parentheses, dashes and dots, with at least one digit. */
export const PHONE_PATTERN = /^(?=.*\d)[+\d\s().-]+$/;

export type CustomFields = Record<string, string | number | boolean | null>;

export { Trim } from '../../common/validation/trim';

/** Trims strings; an empty string means "no value" (null), as no-code tools send empty fields. */
export const TrimToNull = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.trim();
    return v === '' ? null : v;
  });

/**
 * Keeps custom_fields exactly as sent: class-transformer would silently drop keys that name Object.prototype
 * members (`toString`, `valueOf`, …) from a nested plain object.
 */
export const RawObject = () =>
  Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => obj[key]);

/** Trims every tag name (the list is de-duplicated case-insensitively by the service). */
export const TrimEach = () =>
  Transform(({ value }) =>
    Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim() : v)) : value,
  );

/** Only the digits of a phone number, for de-duplication and search; null when there are none. */
export function phoneDigits(phone: string | null | undefined): string | null {
  const d = (phone ?? '').replace(/\D/g, '');
  return d ? d : null;
}

/**
 * Names no custom_fields key may take: they are not plain data in a JavaScript object (`__proto__` changes its
 * prototype; JSON bodies carrying `__proto__` are refused as 400 by the parser), so a lead holding one could not be
 * sent back.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The one rule for a custom_fields key, wherever a key is written (leads, inbound, form mappings, automations'
 * set_field): 1–64 characters, not a reserved name. Returns what is wrong, or undefined.
 */
export function customFieldKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > CUSTOM_FIELD_KEY_MAX)
    return `must have keys of 1 to ${CUSTOM_FIELD_KEY_MAX} characters`;
  if (RESERVED_KEYS.has(key)) return `must not use the reserved key "${key}"`;
  return undefined;
}

export const isCustomFieldKey = (key: string) => customFieldKeyProblem(key) === undefined;

/** A flat JSON object: ≤ 100 keys of ≤ 64 characters; values string (≤ 1000), number, boolean or null. */
export function IsCustomFields() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCustomFields',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => customFieldsProblem(value) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `The ${args.property} field ${customFieldsProblem(args.value) ?? 'is invalid'}.`,
      },
    });
}

export function customFieldsProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'must be an object of field names to values';
  const entries = Object.entries(value);
  if (entries.length > CUSTOM_FIELDS_MAX_KEYS)
    return `must not have more than ${CUSTOM_FIELDS_MAX_KEYS} keys`;
  for (const [k, v] of entries) {
    const keyProblem = customFieldKeyProblem(k);
    if (keyProblem) return keyProblem;
    if (typeof v === 'string') {
      if (v.length > CUSTOM_FIELD_VALUE_MAX)
        return `must have string values of at most ${CUSTOM_FIELD_VALUE_MAX} characters (key "${k}")`;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `must have finite numbers (key "${k}")`;
    } else if (v !== null && typeof v !== 'boolean') {
      return `must have string, number, boolean or null values, not objects or arrays (key "${k}")`;
    }
  }
  return undefined;
}

/** OpenAPI schema of custom_fields. */
export const CUSTOM_FIELDS_SCHEMA = {
  type: 'object',
  maxProperties: CUSTOM_FIELDS_MAX_KEYS,
  propertyNames: { minLength: 1, maxLength: CUSTOM_FIELD_KEY_MAX, not: { enum: [...RESERVED_KEYS] } },
  additionalProperties: {
    oneOf: [
      { type: 'string', maxLength: CUSTOM_FIELD_VALUE_MAX },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'null' },
    ],
  },
  example: { budget: '10000' },
} as const;
