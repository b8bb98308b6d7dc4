import {
  ACTION_PARAMS,
  ACTION_TYPES,
  ActionType,
  CONDITION_FIELDS,
  CUSTOM_FIELD,
  FieldKind,
  LEAD_STATUSES,
  MAX_ACTIONS,
  MAX_CONDITIONS,
  MAX_IN_VALUES,
  Operator,
  OPERATORS,
  OPERATORS_BY_KIND,
  Scalar,
  SETTABLE_FIELDS,
  StoredAction,
  StoredCondition,
  TRIGGER_TYPES,
  TriggerType,
  VALUELESS_OPERATORS,
} from './automation-definition';
import { CUSTOM_FIELD_VALUE_MAX, customFieldKeyProblem } from '../leads/dto/lead-fields';
import { isId } from './checker-base';
import { IntegrationActionChecker } from './integration-action.checker';

/**
 * Checks the shape of a trigger or an action list (a plain JSON value) and collects every problem by
 * dotted path (`trigger.conditions.1.operator`, `actions.0.tag`). Hand-written because both are
 * polymorphic on `type`. References to records and URLs are collected for the caller to check.
 */
export class DefinitionChecker extends IntegrationActionChecker {
  trigger(raw: unknown): { type: TriggerType; conditions: StoredCondition[] } | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return void this.fail('trigger', 'The trigger field must be an object.');
    const shaped = this.object(raw, 'trigger', ['type'], ['conditions']);
    const t = raw as Record<string, unknown>;
    const type = t.type === undefined ? undefined : this.oneOf(t.type, 'trigger.type', TRIGGER_TYPES);
    const conditions: StoredCondition[] = [];
    if (t.conditions !== undefined) {
      if (!Array.isArray(t.conditions))
        this.fail('trigger.conditions', 'The trigger.conditions field must be an array.');
      else if (t.conditions.length > MAX_CONDITIONS)
        this.fail(
          'trigger.conditions',
          `The trigger.conditions field must not have more than ${MAX_CONDITIONS} items.`,
        );
      else
        t.conditions.forEach((c, i) => {
          const checked = this.condition(c, `trigger.conditions.${i}`);
          if (checked) conditions.push(checked);
        });
    }
    return !shaped || type === undefined ? undefined : { type, conditions };
  }

  actions(raw: unknown): StoredAction[] {
    if (!Array.isArray(raw)) {
      this.fail('actions', 'The actions field must be an array.');
      return [];
    }
    if (raw.length < 1 || raw.length > MAX_ACTIONS)
      this.fail('actions', `The actions field must have between 1 and ${MAX_ACTIONS} items.`);
    const out: StoredAction[] = [];
    raw.forEach((a, i) => {
      const checked = this.action(a, `actions.${i}`);
      if (checked) out.push(checked);
    });
    return out;
  }

  private condition(raw: unknown, path: string): StoredCondition | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return void this.fail(path, `The ${path} field must be an object.`);
    const shaped = this.object(raw, path, ['field', 'operator'], ['value']);
    const c = raw as Record<string, unknown>;
    // Check what is there even when keys are missing or extra, to report every problem at once.
    const kind = c.field === undefined ? undefined : this.conditionField(c.field, `${path}.field`);
    const operator =
      c.operator === undefined ? undefined : this.oneOf(c.operator, `${path}.operator`, OPERATORS);
    if (!shaped || kind === undefined || operator === undefined) return undefined;
    if (!OPERATORS_BY_KIND[kind].includes(operator)) {
      this.fail(
        `${path}.operator`,
        `The operator ${operator} cannot be used with the field ${String(c.field)}.`,
      );
      return undefined;
    }
    const vpath = `${path}.value`;
    if (VALUELESS_OPERATORS.includes(operator)) {
      if (c.value !== undefined && c.value !== null)
        this.fail(vpath, `The ${vpath} field is not allowed with the operator ${operator}.`);
      return { field: c.field as string, operator };
    }
    if (c.value === undefined || c.value === null) {
      this.fail(vpath, `The ${vpath} field is required with the operator ${operator}.`);
      return undefined;
    }
    const value = this.conditionValue(kind, operator, c.value, vpath);
    return value === undefined ? undefined : { field: c.field as string, operator, value };
  }

  private conditionField(raw: unknown, path: string): FieldKind | undefined {
    if (typeof raw !== 'string') return void this.fail(path, `The ${path} field must be a string.`);
    if (CONDITION_FIELDS[raw]) return CONDITION_FIELDS[raw];
    if (CUSTOM_FIELD.test(raw)) return 'custom';
    this.fail(
      path,
      `The ${path} field must be a lead field (${Object.keys(CONDITION_FIELDS).join(', ')}) or custom_fields.KEY.`,
    );
    return undefined;
  }

  private conditionValue(
    kind: FieldKind,
    op: Operator,
    raw: unknown,
    path: string,
  ): Scalar | Scalar[] | undefined {
    if (op === 'in') {
      if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_IN_VALUES)
        return void this.fail(path, `The ${path} field must be an array of 1 to ${MAX_IN_VALUES} values.`);
      const values = raw.map((v, i) => this.scalarFor(kind, v, `${path}.${i}`));
      return values.every((v) => v !== undefined) ? (values as Scalar[]) : undefined;
    }
    if (op === 'gt' || op === 'lt') {
      if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
      return void this.fail(path, `The ${path} field must be a number.`);
    }
    if (op === 'contains') {
      if (typeof raw === 'string' && raw.length > 0 && raw.length <= 255) return raw;
      return void this.fail(path, `The ${path} field must be a non-empty string.`);
    }
    return this.scalarFor(kind, raw, path);
  }

  /** One value compared with a field of this kind. */
  private scalarFor(kind: FieldKind, v: unknown, path: string): Scalar | undefined {
    switch (kind) {
      case 'text':
      case 'tags':
        if (typeof v === 'string' && v.length <= 255) return v;
        return void this.fail(path, `The ${path} field must be a string.`);
      case 'status':
        if (typeof v === 'string' && (LEAD_STATUSES as readonly string[]).includes(v)) return v;
        return void this.fail(path, `The ${path} field must be one of: ${LEAD_STATUSES.join(', ')}.`);
      case 'user':
      case 'pipeline':
      case 'stage':
        if (!isId(v)) return void this.fail(path, `The ${path} field must be a positive integer id.`);
        this.refs[kind].push({ id: v, path });
        return v;
      case 'number':
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        return void this.fail(path, `The ${path} field must be a number.`);
      case 'boolean':
        if (typeof v === 'boolean') return v;
        return void this.fail(path, `The ${path} field must be a boolean.`);
      case 'custom':
        if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
        if (typeof v === 'string' && v.length <= 255) return v;
        return void this.fail(path, `The ${path} field must be a string, a number or a boolean.`);
    }
  }

  private action(raw: unknown, path: string): StoredAction | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return void this.fail(path, `The ${path} field must be an object.`);
    const a = raw as Record<string, unknown>;
    const type = this.oneOf(a.type, `${path}.type`, ACTION_TYPES);
    if (type === undefined) return undefined;
    const { required, optional } = ACTION_PARAMS[type];
    if (!this.object(raw, path, ['type', ...required], optional)) return undefined;
    return this.actionParams(type, a, path);
  }

  private actionParams(type: ActionType, a: Record<string, unknown>, path: string): StoredAction | undefined {
    const before = Object.keys(this.errors).length;
    const done = <T extends StoredAction>(action: T) =>
      Object.keys(this.errors).length === before ? action : undefined;
    switch (type) {
      case 'add_tag':
      case 'remove_tag':
        return done({ type, tag: this.text(a.tag, `${path}.tag`, 100) as string });
      case 'assign_user':
      case 'move_to_stage': {
        const param = type === 'assign_user' ? 'user_id' : 'stage_id';
        const id = a[param];
        if (!isId(id))
          return void this.fail(
            `${path}.${param}`,
            `The ${path}.${param} field must be a positive integer id.`,
          );
        this.refs[type === 'assign_user' ? 'user' : 'stage'].push({ id, path: `${path}.${param}` });
        return type === 'assign_user' ? { type, user_id: id } : { type, stage_id: id };
      }
      case 'set_status':
        return done({ type, status: this.oneOf(a.status, `${path}.status`, LEAD_STATUSES) as string });
      case 'set_field':
        return done({
          type,
          field: a.field as string,
          value: this.settable(a.field, a.value, path) as Scalar | null,
        });
      case 'send_webhook': {
        const url = this.text(a.url, `${path}.url`, 2048);
        if (url !== undefined) this.refs.urls.push({ url, path: `${path}.url` });
        const secret =
          a.secret === undefined || a.secret === null ? undefined : this.secret(a.secret, `${path}.secret`);
        return done({ type, url: url as string, ...(secret !== undefined ? { secret } : {}) });
      }
      case 'send_email':
      case 'notify_slack':
        return this.integrationAction(type, a, path);
    }
  }

  /** `set_field`'s value for its field; returns the value (possibly null) or undefined after an error. */
  private settable(field: unknown, value: unknown, path: string): Scalar | null | undefined {
    const fpath = `${path}.field`;
    const vpath = `${path}.value`;
    if (typeof field !== 'string') return void this.fail(fpath, `The ${fpath} field must be a string.`);
    const custom = CUSTOM_FIELD.test(field);
    const kind = SETTABLE_FIELDS[field];
    if (!custom && !kind)
      return void this.fail(
        fpath,
        `The ${fpath} field must be a writable lead field (${Object.keys(SETTABLE_FIELDS).join(', ')}) or custom_fields.KEY.`,
      );
    if (custom) {
      const keyProblem = customFieldKeyProblem(field.slice('custom_fields.'.length));
      if (keyProblem) return void this.fail(fpath, `The ${fpath} field ${keyProblem}.`);
      if (
        value === null ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      )
        return value;
      if (typeof value === 'string' && value.length <= CUSTOM_FIELD_VALUE_MAX) return value;
      return void this.fail(
        vpath,
        `The ${vpath} field must be a string (at most ${CUSTOM_FIELD_VALUE_MAX} characters), a number, a boolean or null.`,
      );
    }
    switch (kind) {
      case 'integer':
        return Number.isSafeInteger(value)
          ? (value as number)
          : void this.fail(vpath, `The ${vpath} field must be an integer.`);
      case 'boolean':
        return typeof value === 'boolean'
          ? value
          : void this.fail(vpath, `The ${vpath} field must be a boolean.`);
      case 'required_text':
        return this.text(value, vpath, 255);
      case 'email':
        if (value === null) return null;
        if (typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 320)
          return value;
        return void this.fail(vpath, `The ${vpath} field must be a valid email address or null.`);
      default:
        if (value === null) return null;
        return this.text(value, vpath, field === 'notes' ? 10000 : 255);
    }
  }
}
