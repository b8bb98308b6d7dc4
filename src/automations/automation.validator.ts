import { compileSchema, schemaRef } from '../common/validation/json-schema';
import { Problems } from '../common/validation/problems';
import { CUSTOM_FIELD_VALUE_MAX, customFieldKeyProblem } from '../leads/dto/lead-fields';
import {
  ACTION_INTEGRATION_TYPES,
  CONDITION_FIELDS,
  CUSTOM_FIELD,
  type FieldKind,
  LEAD_STATUSES,
  MAX_IN_VALUES,
  type Operator,
  OPERATORS_BY_KIND,
  SETTABLE_FIELDS,
  type StoredAction,
  type StoredCondition,
  type TriggerType,
  VALUELESS_OPERATORS,
} from './automation-definition';
import { ACTION_SCHEMAS, ACTIONS_SCHEMA, type ActionType } from './automation-schemas';
import { type TemplateTarget, templateProblem } from './templates';

/** Records of the workspace a definition points at, and the URLs it will call: checked after the shape. */
export interface References {
  user: { id: number; path: string }[];
  stage: { id: number; path: string }[];
  pipeline: { id: number; path: string }[];
  urls: { url: string; path: string }[];
  integrations: { id: number; path: string; type: string }[];
}

// Compiled once, when the module loads. Wrapped in an object so that errors carry the part's name.
const triggerSchema = compileSchema({
  type: 'object',
  properties: { trigger: schemaRef('AutomationTriggerInput') },
});
const actionsSchema = compileSchema({ type: 'object', properties: { actions: ACTIONS_SCHEMA } });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const TEMPLATES: Record<string, [string, TemplateTarget][]> = {
  send_email: [
    ['to', 'plain'],
    ['subject', 'plain'],
    ['text', 'plain'],
    ['html', 'html'],
  ],
  notify_slack: [['text', 'slack']],
};

/**
 * Checks a trigger or an action list (plain JSON values) and collects every problem by dotted path
 * (`trigger.conditions.1.operator`, `actions.0.tag`): the schemas of automation-schemas.ts first (which also
 * trim texts in place), then the rules they cannot state, each on values the schema passed. References to
 * records and URLs are collected for the caller to check.
 */
export class DefinitionChecker extends Problems {
  readonly refs: References = { user: [], stage: [], pipeline: [], urls: [], integrations: [] };

  trigger(raw: unknown): { type: TriggerType; conditions: StoredCondition[] } {
    this.add(triggerSchema({ trigger: raw }));
    const t = (raw ?? {}) as { type: TriggerType; conditions?: unknown };
    const conditions = Array.isArray(t.conditions) ? (t.conditions as StoredCondition[]) : [];
    conditions.forEach((c, i) => this.condition(c, `trigger.conditions.${i}`));
    return { type: t.type, conditions };
  }

  /** The actions as stored (optional parameters sent as null left out); meaningful only when `ok`. */
  actions(raw: unknown): StoredAction[] {
    this.add(actionsSchema({ actions: raw }));
    if (!Array.isArray(raw)) return [];
    return raw.map((a: Json, i) => {
      const path = `actions.${i}`;
      const schema =
        isObject(a) && Object.hasOwn(ACTION_SCHEMAS, a.type as string)
          ? ACTION_SCHEMAS[a.type as ActionType]
          : undefined;
      if (!schema) return a as StoredAction;
      const required = schema.required as string[];
      for (const key of Object.keys(a)) if (a[key] === null && !required.includes(key)) delete a[key];
      this.actionRules(a, path);
      return a as StoredAction;
    });
  }

  /** Which operators suit the field, and a value of the field's kind (the schema only knows scalars). */
  private condition(c: StoredCondition, path: string): void {
    if (!isObject(c) || !this.clean(`${path}.field`) || !this.clean(`${path}.operator`)) return;
    const kind = CONDITION_FIELDS[c.field] ?? 'custom';
    if (!OPERATORS_BY_KIND[kind].includes(c.operator))
      return this.fail(
        `${path}.operator`,
        `The operator ${c.operator} cannot be used with the field ${c.field}.`,
      );
    const vpath = `${path}.value`;
    this.drop(vpath); // the checks below word a wrong value for its field
    if (VALUELESS_OPERATORS.includes(c.operator)) {
      if (c.value === null) delete c.value;
      if (c.value !== undefined)
        this.fail(vpath, `The ${vpath} field is not allowed with the operator ${c.operator}.`);
    } else if (c.value === undefined || c.value === null)
      this.fail(vpath, `The ${vpath} field is required with the operator ${c.operator}.`);
    else this.conditionValue(kind, c.operator, c.value, vpath);
  }

  private conditionValue(kind: FieldKind, op: Operator, raw: unknown, path: string): void {
    if (op === 'in') {
      if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_IN_VALUES)
        return this.fail(path, `The ${path} field must be an array of 1 to ${MAX_IN_VALUES} values.`);
      return raw.forEach((v, i) => this.scalarFor(kind, v, `${path}.${i}`));
    }
    if (op === 'gt' || op === 'lt') {
      if (typeof raw !== 'number' || !Number.isFinite(raw))
        this.fail(path, `The ${path} field must be a number.`);
      return;
    }
    if (op === 'contains') {
      if (typeof raw !== 'string' || raw.length < 1 || raw.length > 255)
        this.fail(path, `The ${path} field must be a non-empty string.`);
      return;
    }
    this.scalarFor(kind, raw, path);
  }

  /** One value compared with a field of this kind. */
  private scalarFor(kind: FieldKind, v: unknown, path: string): void {
    const must = (what: string) => this.fail(path, `The ${path} field must be ${what}.`);
    switch (kind) {
      case 'text':
      case 'tags':
        return typeof v === 'string' && v.length <= 255 ? undefined : must('a string');
      case 'status':
        return (LEAD_STATUSES as readonly unknown[]).includes(v)
          ? undefined
          : must(`one of: ${LEAD_STATUSES.join(', ')}`);
      case 'user':
      case 'pipeline':
      case 'stage':
        if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 2_147_483_647)
          return must('a positive integer id');
        return void this.refs[kind].push({ id: v as number, path });
      case 'number':
        return typeof v === 'number' && Number.isFinite(v) ? undefined : must('a number');
      case 'boolean':
        return typeof v === 'boolean' ? undefined : must('a boolean');
      case 'custom':
        return typeof v === 'boolean' || typeof v === 'number' || (typeof v === 'string' && v.length <= 255)
          ? undefined
          : must('a string, a number or a boolean');
    }
  }

  /** References, set_field's value for its field, integration actions' templates and body. */
  private actionRules(a: Json, path: string): void {
    const id = (key: string) =>
      this.clean(`${path}.${key}`) ? { id: a[key] as number, path: `${path}.${key}` } : undefined;
    const ref = (kind: 'user' | 'stage', key: string) => {
      const r = id(key);
      if (r) this.refs[kind].push(r);
    };
    if (a.type === 'assign_user') ref('user', 'user_id');
    if (a.type === 'move_to_stage') ref('stage', 'stage_id');
    if (a.type === 'set_field' && this.clean(`${path}.field`)) this.setField(a, path);
    if (a.type === 'send_webhook' && this.clean(`${path}.url`))
      this.refs.urls.push({ url: a.url as string, path: `${path}.url` });
    if (a.type === 'send_email' || a.type === 'notify_slack') {
      const r = id('integration_id');
      if (r) this.refs.integrations.push({ ...r, type: ACTION_INTEGRATION_TYPES[a.type] });
      for (const [key, target] of TEMPLATES[a.type]) {
        const p = `${path}.${key}`;
        const problem =
          typeof a[key] === 'string' && this.clean(p) ? templateProblem(a[key], target) : undefined;
        if (problem) this.fail(p, `The ${p} field ${problem}`);
      }
      if (a.type === 'send_email' && a.text === undefined && a.html === undefined)
        this.fail(`${path}.text`, `The ${path}.text or ${path}.html field is required.`);
    }
  }

  /** `set_field`'s value for its field (trimmed, as a text field of a lead would be). */
  private setField(a: Json, path: string): void {
    const field = a.field as string;
    const [fpath, vpath] = [`${path}.field`, `${path}.value`];
    if (CUSTOM_FIELD.test(field)) {
      const keyProblem = customFieldKeyProblem(field.slice('custom_fields.'.length));
      if (keyProblem) return this.fail(fpath, `The ${fpath} field ${keyProblem}.`);
    }
    const v = a.value;
    if (v === undefined) return; // the schema said it is required
    this.drop(vpath); // the checks below word a wrong value for its field
    const must = (what: string) => this.fail(vpath, `The ${vpath} field must be ${what}.`);
    const kind = SETTABLE_FIELDS[field];
    if (!kind) {
      const scalar =
        v === null ||
        typeof v === 'boolean' ||
        typeof v === 'number' ||
        (typeof v === 'string' && v.length <= CUSTOM_FIELD_VALUE_MAX);
      return scalar
        ? undefined
        : must(`a string (at most ${CUSTOM_FIELD_VALUE_MAX} characters), a number, a boolean or null`);
    }
    if (kind === 'integer') return Number.isSafeInteger(v) ? undefined : must('an integer');
    if (kind === 'boolean') return typeof v === 'boolean' ? undefined : must('a boolean');
    if (kind === 'email' && v !== null) {
      const ok = typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && v.length <= 320;
      return ok ? undefined : must('a valid email address or null');
    }
    if (v === null && (kind === 'text' || kind === 'email')) return;
    if (typeof v !== 'string') return must('a string');
    const text = v.trim();
    if (!text) return this.fail(vpath, `The ${vpath} field must not be empty.`);
    const max = field === 'notes' ? 10_000 : 255;
    if (text.length > max)
      return this.fail(vpath, `The ${vpath} field must not be longer than ${max} characters.`);
    a.value = text;
  }
}
