import type { LeadsRepository } from '../leads/leads.repository';
import { CheckerBase, isId } from '../common/validation/checker-base';
import { distinctNames } from '../leads/lead-tags.repository';
import { customFieldKeyProblem, TAG_NAME_MAX, TAGS_MAX } from '../leads/dto/lead-fields';
import {
  CUSTOM_FIELD_TARGET,
  DEFAULT_SOURCE,
  FIELD_NAME,
  FIELD_TYPES,
  LABEL_MAX,
  LEAD_STATUSES,
  type LeadDefaults,
  MAPPABLE_FIELDS,
  MAX_FIELDS,
  MAX_OPTIONS,
  OPTION_MAX,
  type StoredField,
  targetOf,
} from './form-definition';

const FIELD_KEYS = ['required', 'options', 'maps_to'];
const DEFAULT_KEYS = ['source', 'status', 'tags', 'pipeline_id', 'stage_id', 'assigned_user_id'];

/**
 * Checks a form's `fields` and `lead_defaults` (plain JSON values) and collects every problem by dotted path
 * (`fields.2.options`, `lead_defaults.stage_id`). Records the defaults name are checked by `checkDefaultRecords`.
 */
export class FormDefinitionChecker extends CheckerBase {
  fields(raw: unknown): StoredField[] {
    if (!Array.isArray(raw)) return (this.fail('fields', 'The fields field must be an array.'), []);
    if (raw.length < 1 || raw.length > MAX_FIELDS)
      this.fail('fields', `The fields field must have between 1 and ${MAX_FIELDS} items.`);
    const out = raw.map((f, i) => this.field(f, `fields.${i}`));
    const ok = out.filter((f): f is StoredField => f !== undefined);
    if (ok.length === out.length) this.relations(ok);
    return ok;
  }

  leadDefaults(raw: unknown): LeadDefaults {
    const d: LeadDefaults = {
      source: DEFAULT_SOURCE,
      status: null,
      tags: [],
      pipeline_id: null,
      stage_id: null,
      assigned_user_id: null,
    };
    if (raw === undefined) return d;
    if (!this.object(raw, 'lead_defaults', [], DEFAULT_KEYS)) return d;
    const r = raw as Record<string, unknown>;
    if (r.source !== undefined)
      d.source = r.source === null ? null : (this.text(r.source, 'lead_defaults.source', 100) ?? null);
    if (r.status !== undefined && r.status !== null)
      d.status = this.oneOf(r.status, 'lead_defaults.status', LEAD_STATUSES) ?? null;
    if (r.tags !== undefined && r.tags !== null) d.tags = this.tags(r.tags, 'lead_defaults.tags');
    for (const key of ['pipeline_id', 'stage_id', 'assigned_user_id'] as const) {
      const v = r[key];
      if (v === undefined || v === null) continue;
      if (isId(v)) d[key] = v;
      else this.fail(`lead_defaults.${key}`, `The lead_defaults.${key} field must be a positive integer id.`);
    }
    return d;
  }

  private field(raw: unknown, path: string): StoredField | undefined {
    if (!this.object(raw, path, ['name', 'label', 'type'], FIELD_KEYS)) return undefined;
    const f = raw as Record<string, unknown>;
    const before = Object.keys(this.errors).length;
    const name = typeof f.name === 'string' && FIELD_NAME.test(f.name) ? f.name : undefined;
    if (name === undefined)
      this.fail(
        `${path}.name`,
        `The ${path}.name field must start with a lowercase letter and contain only lowercase letters, digits and underscores (at most 64 characters).`,
      );
    const label = this.text(f.label, `${path}.label`, LABEL_MAX);
    const type = this.oneOf(f.type, `${path}.type`, FIELD_TYPES);
    let required = false;
    if (f.required !== undefined) {
      if (typeof f.required === 'boolean') required = f.required;
      else this.fail(`${path}.required`, `The ${path}.required field must be a boolean.`);
    }
    let options: string[] | null = null;
    if (type === 'select') options = this.options(f.options, `${path}.options`) ?? null;
    else if (f.options !== undefined && f.options !== null && type !== undefined)
      this.fail(`${path}.options`, `The ${path}.options field is only allowed for select fields.`);
    const mapsTo = this.mapsTo(f.maps_to, `${path}.maps_to`, type);
    const limit =
      mapsTo && Object.hasOwn(MAPPABLE_FIELDS, mapsTo) ? MAPPABLE_FIELDS[mapsTo as 'source'] : OPTION_MAX;
    if (options?.some((o) => o.length > limit))
      this.fail(
        `${path}.options`,
        `The ${path}.options field must have options of at most ${limit} characters for ${mapsTo}.`,
      );
    // An unmapped field fills the custom_fields key of its name: the same key rule as everywhere.
    const keyProblem = name !== undefined && mapsTo === null ? customFieldKeyProblem(name) : undefined;
    if (keyProblem)
      this.fail(
        `${path}.name`,
        `The ${path}.name field of an unmapped field (its custom_fields key) ${keyProblem}.`,
      );
    if (Object.keys(this.errors).length !== before) return undefined;
    return { name: name!, label: label!, type: type!, required, options, maps_to: mapsTo ?? null };
  }

  private options(raw: unknown, path: string): string[] | undefined {
    const problem = `The ${path} field must be an array of 1 to ${MAX_OPTIONS} distinct non-empty strings (each at most ${OPTION_MAX} characters), required for select fields.`;
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_OPTIONS)
      return void this.fail(path, problem);
    const values = raw.map((o) => (typeof o === 'string' ? o.trim() : ''));
    if (values.some((v) => !v || v.length > OPTION_MAX) || new Set(values).size !== values.length)
      return void this.fail(path, problem);
    return values;
  }

  private mapsTo(raw: unknown, path: string, type: string | undefined): string | null | undefined {
    if (raw === undefined || raw === null) return null;
    const lead = typeof raw === 'string' && Object.hasOwn(MAPPABLE_FIELDS, raw);
    if (typeof raw !== 'string' || (!lead && !CUSTOM_FIELD_TARGET.test(raw)))
      return void this.fail(
        path,
        `The ${path} field must be a lead field (${Object.keys(MAPPABLE_FIELDS).join(', ')}) or custom_fields.KEY (KEY: 1 to 64 letters, digits, _ or -).`,
      );
    if (lead && type === 'checkbox')
      return void this.fail(path, `The ${path} field of a checkbox may only be custom_fields.KEY.`);
    const key = CUSTOM_FIELD_TARGET.exec(raw)?.[1];
    const keyProblem = key === undefined ? undefined : customFieldKeyProblem(key);
    if (keyProblem) return void this.fail(path, `The ${path} field ${keyProblem}.`);
    return raw;
  }

  /** Each lead field and custom_fields key is filled by one field only; the lead needs a first name or an email. */
  private relations(fields: StoredField[]): void {
    const names = new Map<string, number>();
    const targets = new Map<string, number>();
    fields.forEach((f, i) => {
      const seen = names.get(f.name);
      if (seen !== undefined)
        return this.fail(
          `fields.${i}.name`,
          `The fields.${i}.name field repeats the name of fields.${seen}.`,
        );
      names.set(f.name, i);
      const t = targetOf(f);
      const key = 'field' in t ? t.field : `custom_fields.${t.custom}`;
      const other = targets.get(key);
      if (other === undefined) return void targets.set(key, i);
      const at = f.maps_to !== null ? i : other; // report on the field whose maps_to is explicit
      this.fail(
        `fields.${at}.maps_to`,
        `The fields.${at}.maps_to field goes to ${key}, which another field (fields.${at === i ? other : i}) fills already; unmapped fields go to custom_fields under their own name.`,
      );
    });
    if (!fields.some((f) => f.maps_to === 'first_name' || f.maps_to === 'email'))
      this.fail('fields', 'The fields field must have a field that maps_to first_name or email.');
  }

  private tags(raw: unknown, path: string): string[] {
    if (!Array.isArray(raw) || raw.length > TAGS_MAX)
      return (this.fail(path, `The ${path} field must be an array of at most ${TAGS_MAX} tag names.`), []);
    const names = raw.map((t, i) => this.text(t, `${path}.${i}`, TAG_NAME_MAX));
    return distinctNames(names.filter((n): n is string => n !== undefined));
  }
}

/**
 * The pipeline, stage and user the defaults name must be records of the workspace, and the stage one of the
 * pipeline (a stage alone brings its pipeline). One query.
 */
export async function checkDefaultRecords(
  records: Pick<LeadsRepository, 'findReferences'>,
  workspaceId: number,
  d: LeadDefaults,
  check: CheckerBase,
): Promise<void> {
  if (d.pipeline_id === null && d.stage_id === null && d.assigned_user_id === null) return;
  const found = await records.findReferences(workspaceId, {
    pipeline_id: d.pipeline_id,
    pipeline_stage_id: d.stage_id,
    assigned_user_id: d.assigned_user_id,
  });
  const invalid = (key: string, what: string) =>
    check.fail(`lead_defaults.${key}`, `The lead_defaults.${key} field must be ${what} of this workspace.`);
  if (d.pipeline_id !== null && found.pipeline === null) invalid('pipeline_id', 'a pipeline');
  if (d.assigned_user_id !== null && found.user === null) invalid('assigned_user_id', 'a user');
  if (d.stage_id === null) return;
  if (found.stage_pipeline === null) return invalid('stage_id', 'a stage');
  if (d.pipeline_id === null) d.pipeline_id = found.stage_pipeline;
  else if (d.pipeline_id !== found.stage_pipeline)
    check.fail(
      'lead_defaults.stage_id',
      'The lead_defaults.stage_id field must be a stage of lead_defaults.pipeline_id.',
    );
}
