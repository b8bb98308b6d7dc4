import type { LeadsRepository } from '../leads/leads.repository';
import { compileSchema } from '../common/validation/json-schema';
import { Problems } from '../common/validation/problems';
import { distinctNames } from '../leads/lead-tags.repository';
import { customFieldKeyProblem } from '../leads/dto/lead-fields';
import {
  CUSTOM_FIELD_TARGET,
  DEFAULT_SOURCE,
  type LeadDefaults,
  MAPPABLE_FIELDS,
  MAX_FIELDS,
  OPTION_MAX,
  type StoredField,
  targetOf,
} from './form-definition';
import { FORM_FIELD_INPUT, LEAD_DEFAULTS_INPUT, OPTIONS_MESSAGE } from './form-schemas';

// Compiled once, when the module loads. Wrapped in an object so that errors carry the part's name.
const fieldsSchema = compileSchema({
  type: 'object',
  properties: { fields: { type: 'array', minItems: 1, maxItems: MAX_FIELDS, items: FORM_FIELD_INPUT } },
});
const defaultsSchema = compileSchema({ type: 'object', properties: { lead_defaults: LEAD_DEFAULTS_INPUT } });

type Json = Record<string, unknown>;

/**
 * Checks a form's `fields` and `lead_defaults` (plain JSON values) and collects every problem by dotted path
 * (`fields.2.options`, `lead_defaults.stage_id`): the schemas of form-schemas.ts first (which also trim texts in
 * place), then the rules between a field's parts and between fields, each on values the schema passed. Records
 * the defaults name are checked by `checkDefaultRecords`.
 */
export class FormDefinitionChecker extends Problems {
  fields(raw: unknown): StoredField[] {
    this.add(fieldsSchema({ fields: raw }));
    if (!Array.isArray(raw)) return [];
    const fields = raw.map((f: Json, i) => this.field(f, `fields.${i}`));
    if (fields.every((_, i) => this.clean(`fields.${i}`))) this.relations(fields);
    return fields;
  }

  leadDefaults(raw: unknown): LeadDefaults {
    this.add(defaultsSchema({ lead_defaults: raw }));
    const r = (raw ?? {}) as Partial<LeadDefaults>;
    // Only values the schema passed go on (the record ids to a query).
    const valid = <K extends keyof LeadDefaults>(key: K) =>
      this.clean(`lead_defaults.${key}`) ? (r[key] ?? null) : null;
    return {
      source: r.source === undefined ? DEFAULT_SOURCE : r.source,
      status: r.status ?? null,
      tags: distinctNames(valid('tags') ?? []),
      pipeline_id: valid('pipeline_id'),
      stage_id: valid('stage_id'),
      assigned_user_id: valid('assigned_user_id'),
    };
  }

  /** The field as stored, after the rules between its type, options, maps_to and name. */
  private field(f: Json, path: string): StoredField {
    if (!f || typeof f !== 'object' || Array.isArray(f)) return f as never;
    const stored: StoredField = {
      name: f.name as string,
      label: f.label as string,
      type: f.type as StoredField['type'],
      required: (f.required as boolean | undefined) ?? false,
      options: (f.options as string[] | undefined) ?? null,
      maps_to: (f.maps_to as string | undefined) ?? null,
    };
    const clean = (key: string) => f[key] !== undefined && this.clean(`${path}.${key}`);
    const [opath, mpath] = [`${path}.options`, `${path}.maps_to`];
    if (clean('type') && this.clean(opath)) {
      if (f.type === 'select' && stored.options === null)
        this.fail(opath, `The ${opath} field ${OPTIONS_MESSAGE}`);
      if (f.type !== 'select' && stored.options !== null)
        this.fail(opath, `The ${opath} field is only allowed for select fields.`);
    }
    const mapsTo = this.clean(mpath) ? stored.maps_to : undefined;
    const lead = mapsTo != null && Object.hasOwn(MAPPABLE_FIELDS, mapsTo);
    if (lead && clean('type') && f.type === 'checkbox')
      this.fail(mpath, `The ${mpath} field of a checkbox may only be custom_fields.KEY.`);
    const key = mapsTo == null ? undefined : CUSTOM_FIELD_TARGET.exec(mapsTo)?.[1];
    const keyProblem = key === undefined ? undefined : customFieldKeyProblem(key);
    if (keyProblem) this.fail(mpath, `The ${mpath} field ${keyProblem}.`);
    const limit = lead ? MAPPABLE_FIELDS[mapsTo as keyof typeof MAPPABLE_FIELDS] : OPTION_MAX;
    if (mapsTo !== undefined && this.clean(opath) && stored.options?.some((o) => o.length > limit))
      this.fail(opath, `The ${opath} field must have options of at most ${limit} characters for ${mapsTo}.`);
    // An unmapped field fills the custom_fields key of its name: the same key rule as everywhere.
    const nameProblem =
      mapsTo === null && clean('name') ? customFieldKeyProblem(f.name as string) : undefined;
    if (nameProblem)
      this.fail(
        `${path}.name`,
        `The ${path}.name field of an unmapped field (its custom_fields key) ${nameProblem}.`,
      );
    return stored;
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
}

/**
 * The pipeline, stage and user the defaults name must be records of the workspace, and the stage one of the
 * pipeline (a stage alone brings its pipeline). One query.
 */
export async function checkDefaultRecords(
  records: Pick<LeadsRepository, 'findReferences'>,
  workspaceId: number,
  d: LeadDefaults,
  check: Pick<Problems, 'fail'>,
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
