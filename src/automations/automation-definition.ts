import { DOMAIN_EVENT_TYPES } from '../events/domain-event';
import { LEAD_STATUSES } from '../leads/lead.entity';

/**
 * The vocabulary of automation definitions: triggers, condition fields and operators, limits. The action types
 * and their parameters are the schemas of automation-schemas.ts.
 */

/** An automation triggers on a domain event, so the trigger types are exactly the event types. */
export const TRIGGER_TYPES = DOMAIN_EVENT_TYPES;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

export const OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'in',
  'gt',
  'lt',
  'is_empty',
  'is_not_empty',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const MAX_ACTIONS = 20;
export const MAX_CONDITIONS = 20;
export const MAX_IN_VALUES = 100;
export const CUSTOM_FIELD = /^custom_fields\.([A-Za-z0-9_-]{1,100})$/;

export type Scalar = string | number | boolean;

/**
 * What a condition field holds, which decides its operators and values:
 * text (a string), status (a lead status), id (a record id of the workspace), number, boolean,
 * tags (the lead's tag names), custom (a custom field: any scalar).
 */
export type FieldKind =
  'text' | 'status' | 'user' | 'pipeline' | 'stage' | 'number' | 'boolean' | 'tags' | 'custom';

export const CONDITION_FIELDS: Record<string, FieldKind> = {
  first_name: 'text',
  last_name: 'text',
  email: 'text',
  phone: 'text',
  company: 'text',
  source: 'text',
  status: 'status',
  pipeline_id: 'pipeline',
  pipeline_stage_id: 'stage',
  assigned_user_id: 'user',
  lead_score: 'number',
  starred: 'boolean',
  tags: 'tags',
};

const ALL: readonly Operator[] = OPERATORS;
const EQUALITY: readonly Operator[] = ['equals', 'not_equals', 'in'];
const PRESENCE: readonly Operator[] = ['is_empty', 'is_not_empty'];

export const OPERATORS_BY_KIND: Record<FieldKind, readonly Operator[]> = {
  text: ['equals', 'not_equals', 'contains', 'in', ...PRESENCE],
  status: EQUALITY,
  user: [...EQUALITY, ...PRESENCE],
  pipeline: [...EQUALITY, ...PRESENCE],
  stage: [...EQUALITY, ...PRESENCE],
  number: [...EQUALITY, 'gt', 'lt'],
  boolean: ['equals', 'not_equals'],
  tags: ['contains', 'in', ...PRESENCE],
  custom: ALL,
};

export const VALUELESS_OPERATORS: readonly Operator[] = PRESENCE;

/** Lead fields `set_field` may write (status, stage and owner have their own actions). */
export const SETTABLE_FIELDS: Record<string, 'required_text' | 'text' | 'email' | 'integer' | 'boolean'> = {
  first_name: 'required_text',
  last_name: 'text',
  email: 'email',
  phone: 'text',
  company: 'text',
  source: 'text',
  notes: 'text',
  lead_score: 'integer',
  starred: 'boolean',
};

/** The integration type each integration action needs. */
export const ACTION_INTEGRATION_TYPES = { send_email: 'mailgun', notify_slack: 'slack' } as const;

export { LEAD_STATUSES };

export interface StoredCondition {
  field: string;
  operator: Operator;
  value?: Scalar | Scalar[];
}

export type StoredAction =
  | { type: 'add_tag' | 'remove_tag'; tag: string }
  | { type: 'assign_user'; user_id: number }
  | { type: 'set_status'; status: string }
  | { type: 'move_to_stage'; stage_id: number }
  | { type: 'set_field'; field: string; value: Scalar | null }
  /** `secret`: a SecretBox token at rest, masked in responses. */
  | { type: 'send_webhook'; url: string; secret?: string }
  /** Templates (see templates.ts); `to` defaults to the lead's email. */
  | { type: 'send_email'; integration_id: number; to?: string; subject: string; text?: string; html?: string }
  | { type: 'notify_slack'; integration_id: number; text: string };
