import { isEmail } from 'class-validator';
import { ApiException, type FieldErrors } from '../common/errors/api.exception';
import type { IntakeInput } from '../leads/lead-intake.service';
import { type CustomFields, PHONE_PATTERN } from '../leads/dto/lead-fields';
import { type LeadDefaults, maxLengthOf, type StoredField, targetOf } from './form-definition';

export type SubmittedValues = Record<string, string | boolean | null>;

export interface CheckedSubmission {
  /** The validated values of the fields sent (trimmed; null for no value), to store with the submission. */
  values: SubmittedValues;
  /** The lead to create or merge into: mapped fields, unmapped ones as custom fields, the form's defaults. */
  lead: IntakeInput;
}

/**
 * Checks a submission (a free-form JSON body of values by field name) against the form's fields and maps it to
 * a lead. Every problem is reported at once, by field name: unknown keys, required fields, types, formats, select
 * options, lengths. Strings are trimmed; an empty string or null counts as no value.
 */
export function checkSubmission(
  fields: StoredField[],
  defaults: LeadDefaults,
  body: unknown,
): CheckedSubmission {
  if (body === undefined) body = {};
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw ApiException.field('body', 'The request body must be a JSON object of values by field name.');
  const raw = body as Record<string, unknown>;
  // A Map: a field named `constructor` must not find Object.prototype.constructor in a plain object.
  const errors = new Map<string, string[]>();
  const fail = (key: string, message: string) => errors.set(key, [...(errors.get(key) ?? []), message]);
  const known = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(raw))
    if (!known.has(key)) fail(key, `The ${key} field is not a field of this form.`);

  const values: SubmittedValues = {};
  const lead: IntakeInput = {};
  const custom: [string, string | boolean][] = [];
  for (const f of fields) {
    // Own properties only: a field named `constructor` must not read Object.prototype.constructor.
    const given = Object.hasOwn(raw, f.name) ? raw[f.name] : undefined;
    const value = fieldValue(f, given, (m) => fail(f.name, m));
    // The submission keeps what was validated (trimmed, within the length cap), not what was sent; no value → null.
    if (given !== undefined) values[f.name] = value ?? null;
    if (value === undefined) continue;
    const target = targetOf(f);
    if ('custom' in target) custom.push([target.custom, value]);
    else lead[target.field] = value as string;
  }
  // The lead needs a first name or an email (a form maps a field to one of them).
  const identity = [...fieldsTo(fields, 'first_name'), ...fieldsTo(fields, 'email')];
  if (!lead.first_name && !lead.email && identity.every((name) => !errors.has(name)))
    for (const name of identity)
      fail(name, `The ${name} field is required: a submission needs a value for ${identity.join(' or ')}.`);
  if (errors.size) throw ApiException.validation(Object.fromEntries(errors) as FieldErrors);

  // fromEntries defines own keys (a custom_fields.__proto__ target stays a plain key).
  if (custom.length) lead.custom_fields = Object.fromEntries(custom) as CustomFields;
  if (lead.source === undefined && defaults.source !== null) lead.source = defaults.source;
  if (defaults.status !== null) lead.status = defaults.status;
  if (defaults.tags.length) lead.tags = defaults.tags;
  if (defaults.pipeline_id !== null) lead.pipeline_id = defaults.pipeline_id;
  if (defaults.stage_id !== null) lead.pipeline_stage_id = defaults.stage_id;
  if (defaults.assigned_user_id !== null) lead.assigned_user_id = defaults.assigned_user_id;
  return { values, lead };
}

/** The checked value of one field (undefined: none given, or a problem reported through `fail`). */
function fieldValue(
  f: StoredField,
  v: unknown,
  fail: (message: string) => void,
): string | boolean | undefined {
  const what = `The ${f.name} field`;
  if (f.type === 'checkbox') {
    if (v === undefined || v === null) return void (f.required && fail(`${what} is required.`));
    if (typeof v !== 'boolean') return void fail(`${what} must be true or false.`);
    if (f.required && !v) return void fail(`${what} must be checked (true).`);
    return v;
  }
  if (v !== undefined && v !== null && typeof v !== 'string') return void fail(`${what} must be a string.`);
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) return void (f.required && fail(`${what} is required.`));
  const max = maxLengthOf(f);
  if (s.length > max) return void fail(`${what} must not be longer than ${max} characters.`);
  if ((f.type === 'email' || f.maps_to === 'email') && !isEmail(s))
    return void fail(`${what} must be a valid email address.`);
  if ((f.type === 'phone' || f.maps_to === 'phone') && !PHONE_PATTERN.test(s))
    return void fail(`${what} may contain only digits, spaces, +, (, ), - and . (and at least one digit).`);
  if (f.type === 'select' && !f.options?.includes(s))
    return void fail(`${what} must be one of: ${f.options?.join(', ')}.`);
  return s;
}

function fieldsTo(fields: StoredField[], target: 'first_name' | 'email'): string[] {
  return fields.filter((f) => f.maps_to === target).map((f) => f.name);
}
