import type { FieldErrors } from '../common/errors/api.exception';

/** Records of the workspace a definition points at, and the URLs it will call: checked after the shape. */
export interface References {
  user: { id: number; path: string }[];
  stage: { id: number; path: string }[];
  pipeline: { id: number; path: string }[];
  urls: { url: string; path: string }[];
  integrations: { id: number; path: string; type: string }[];
}

/** Error collection and the generic checks of DefinitionChecker: errors by dotted path, never thrown. */
export class CheckerBase {
  readonly errors: FieldErrors = {};
  readonly refs: References = { user: [], stage: [], pipeline: [], urls: [], integrations: [] };

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  fail(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
  }

  /** An object with exactly these keys (required ones present); extra keys are errors. */
  protected object(raw: unknown, path: string, required: string[], optional: string[]): boolean {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.fail(path, `The ${path} field must be an object.`);
      return false;
    }
    const allowed = new Set([...required, ...optional]);
    let ok = true;
    for (const key of Object.keys(raw))
      if (!allowed.has(key)) {
        this.fail(`${path}.${key}`, `The ${path}.${key} field is not allowed.`);
        ok = false;
      }
    for (const key of required)
      if ((raw as Record<string, unknown>)[key] === undefined) {
        this.fail(`${path}.${key}`, `The ${path}.${key} field is required.`);
        ok = false;
      }
    return ok;
  }

  protected oneOf<T extends string>(raw: unknown, path: string, values: readonly T[]): T | undefined {
    if (typeof raw === 'string' && (values as readonly string[]).includes(raw)) return raw as T;
    this.fail(path, `The ${path} field must be one of: ${values.join(', ')}.`);
    return undefined;
  }

  /** A secret as given (not trimmed): 1 to 500 characters. */
  protected secret(raw: unknown, path: string): string | undefined {
    if (typeof raw !== 'string' || raw.length < 1 || raw.length > 500)
      return void this.fail(path, `The ${path} field must be a string of 1 to 500 characters.`);
    return raw;
  }

  protected text(raw: unknown, path: string, max: number): string | undefined {
    if (typeof raw !== 'string') return void this.fail(path, `The ${path} field must be a string.`);
    const v = raw.trim();
    if (!v) return void this.fail(path, `The ${path} field must not be empty.`);
    if (v.length > max)
      return void this.fail(path, `The ${path} field must not be longer than ${max} characters.`);
    return v;
  }
}

export function isId(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 2_147_483_647;
}
