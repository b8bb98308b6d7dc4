import { SecretBox } from '../common/crypto/secret-box';
import { FieldErrors } from '../common/errors/api.exception';
import { publicUrlProblem, type UrlPolicy } from '../common/net/ssrf-guard';
import { ConfigField, IntegrationType, MAPPABLE_FIELDS } from './integration-types';

/** A config as stored: plain values, secret fields as SecretBox tokens. */
export type ConfigValue = string | number | boolean | string[] | Record<string, string>;
export type StoredConfig = Record<string, ConfigValue>;

const MAX_STRING = 2000;
const MAX_URL = 2048;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_ITEMS = 50;
const MAPPING_TARGET = new RegExp(`^(?:${MAPPABLE_FIELDS.join('|')}|custom_fields\\.[A-Za-z0-9_-]{1,100})$`);

/**
 * Checks a submitted config against its type and returns what to store, with errors by `config.KEY`.
 * Rules: unknown keys are refused; an absent, null or empty value counts as not given (an error for a
 * required field); secret fields are encrypted, and a secret sent back exactly as the mask the API
 * returned keeps the stored value (the config replaces the previous one as a whole otherwise).
 */
export async function prepareConfig(
  type: IntegrationType,
  submitted: unknown,
  stored: StoredConfig | undefined,
  box: SecretBox,
  policy: UrlPolicy = {},
): Promise<{ config: StoredConfig; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  const config: StoredConfig = {};
  if (submitted === null || typeof submitted !== 'object' || Array.isArray(submitted)) {
    return { config, errors: { config: ['The config field must be an object.'] } };
  }
  const input = submitted as Record<string, unknown>;
  const known = new Set(type.config_fields.map((f) => f.name));
  for (const key of Object.keys(input))
    if (!known.has(key))
      errors[`config.${key}`] = [`The config.${key} field is not allowed for ${type.type}.`];

  for (const f of type.config_fields) {
    const path = `config.${f.name}`;
    const value = input[f.name];
    if (value === undefined || value === null || value === '') {
      if (f.required) errors[path] = [`The ${path} field is required.`];
      continue;
    }
    if (f.secret && typeof value === 'string' && SecretBox.looksMasked(value)) {
      const previous = stored?.[f.name];
      const resolved = box.resolveSubmitted(value, typeof previous === 'string' ? previous : undefined);
      if (resolved.kind === 'keep') config[f.name] = resolved.value;
      else
        errors[path] = [
          `The ${path} field is a masked value that does not match the stored secret; send the secret in full.`,
        ];
      continue;
    }
    const problem = await checkValue(f, value, path, policy);
    if (problem) errors[path] = [problem];
    else config[f.name] = f.secret ? box.encrypt(value as string) : (value as ConfigValue);
  }
  return { config, errors };
}

async function checkValue(
  f: ConfigField,
  value: unknown,
  path: string,
  policy: UrlPolicy,
): Promise<string | undefined> {
  switch (f.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `The ${path} field must be a boolean.`;
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : `The ${path} field must be an integer.`;
    case 'email':
      if (typeof value !== 'string') return `The ${path} field must be a string.`;
      return EMAIL.test(value) && value.length <= 320
        ? undefined
        : `The ${path} field must be a valid email address.`;
    case 'url':
      if (typeof value !== 'string') return `The ${path} field must be a string.`;
      if (value.length > MAX_URL) return `The ${path} field must not be longer than ${MAX_URL} characters.`;
      return publicUrlProblem(value, path, policy);
    case 'string_list':
      return listProblem(f, value, path);
    case 'string_map':
      return mapProblem(value, path);
    case 'string':
      if (typeof value !== 'string') return `The ${path} field must be a string.`;
      if (value.length > MAX_STRING)
        return `The ${path} field must not be longer than ${MAX_STRING} characters.`;
      if (f.options && !f.options.includes(value))
        return `The ${path} field must be one of: ${f.options.join(', ')}.`;
      return undefined;
  }
}

function listProblem(f: ConfigField, value: unknown, path: string): string | undefined {
  if (!Array.isArray(value) || value.length > MAX_ITEMS || value.some((v) => typeof v !== 'string'))
    return `The ${path} field must be an array of at most ${MAX_ITEMS} strings.`;
  if (f.options) {
    const wrong = value.filter((v) => !f.options!.includes(v as string));
    if (wrong.length) return `The ${path} field may hold only: ${f.options.join(', ')}.`;
    if (f.required && !value.length) return `The ${path} field must not be empty.`;
  } else if (value.some((v) => !(v as string).trim() || (v as string).length > 100))
    return `The ${path} field must hold strings of 1 to 100 characters.`;
  return undefined;
}

function mapProblem(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `The ${path} field must be an object.`;
  const entries = Object.entries(value);
  if (entries.length > MAX_ITEMS) return `The ${path} field must not have more than ${MAX_ITEMS} keys.`;
  for (const [k, v] of entries)
    if (k.length < 1 || k.length > 255 || typeof v !== 'string' || !MAPPING_TARGET.test(v))
      return `The ${path}.${k} value must be a lead field (${MAPPABLE_FIELDS.join(', ')}) or custom_fields.KEY.`;
  return undefined;
}

/** The config as responses show it: in the catalog's field order, secret fields masked. */
export function maskConfig(type: IntegrationType | undefined, stored: StoredConfig, box: SecretBox) {
  const out: StoredConfig = {};
  const order = [...(type?.config_fields.map((f) => f.name) ?? []), ...Object.keys(stored).sort()];
  for (const key of order) {
    if (!(key in stored) || key in out) continue;
    const f = type?.config_fields.find((x) => x.name === key);
    const value = stored[key];
    out[key] = f?.secret || SecretBox.isEncrypted(value) ? box.maskStored(String(value)) : value;
  }
  return out;
}
