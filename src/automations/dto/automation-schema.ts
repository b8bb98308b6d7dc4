import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  CONDITION_FIELDS,
  LEAD_STATUSES,
  MAX_ACTIONS,
  MAX_CONDITIONS,
  OPERATORS,
  SETTABLE_FIELDS,
  TRIGGER_TYPES,
} from '../automation-definition';

/**
 * Documentation of the polymorphic parts of an automation (trigger, conditions, actions). Requests are
 * validated by DefinitionChecker, not by these classes; they describe the same rules for the document.
 */

const SCALAR = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];

export class AutomationCondition {
  @ApiProperty({
    description: `A lead field (${Object.keys(CONDITION_FIELDS).join(', ')}) or \`custom_fields.KEY\`.`,
    example: 'status',
  })
  field: string;

  @ApiProperty({
    enum: OPERATORS,
    example: 'equals',
    description:
      'Which operators a field accepts: text fields equals, not_equals, contains, in, is_empty, is_not_empty; ' +
      'status equals, not_equals, in; pipeline_id, pipeline_stage_id, assigned_user_id equals, not_equals, in, ' +
      'is_empty, is_not_empty; lead_score equals, not_equals, in, gt, lt; starred equals, not_equals; tags ' +
      'contains, in, is_empty, is_not_empty; custom fields all.',
  })
  operator: string;

  @ApiPropertyOptional({
    anyOf: [...SCALAR, { type: 'array', items: { anyOf: SCALAR }, minItems: 1, maxItems: 100 }],
    description:
      'Required except for is_empty / is_not_empty (where it is omitted). `in` takes an array; gt / lt a ' +
      'number; status values are lead statuses; ids must be records of the workspace.',
    example: 'new',
  })
  value?: unknown;
}

const CONDITIONS_EXAMPLE = [
  { field: 'source', operator: 'equals', value: 'website' },
  { field: 'lead_score', operator: 'gt', value: 50 },
];

export class AutomationTriggerInput {
  @ApiProperty({ enum: TRIGGER_TYPES, example: 'lead.created' })
  type: string;

  @ApiPropertyOptional({
    type: () => [AutomationCondition],
    maxItems: MAX_CONDITIONS,
    description: 'All must hold for the actions to run (default: none).',
    example: CONDITIONS_EXAMPLE,
  })
  conditions?: AutomationCondition[];
}

export class AutomationTrigger {
  @ApiProperty({ enum: TRIGGER_TYPES, example: 'lead.created' })
  type: string;

  @ApiProperty({
    type: () => [AutomationCondition],
    description: 'All must hold for the actions to run.',
    example: CONDITIONS_EXAMPLE,
  })
  conditions: AutomationCondition[];
}

export class AddTagAction {
  @ApiProperty({ enum: ['add_tag'] })
  type: 'add_tag';
  @ApiProperty({ description: 'A tag name (created if unknown when the action runs).', example: 'hot-lead' })
  tag: string;
}

export class RemoveTagAction {
  @ApiProperty({ enum: ['remove_tag'] })
  type: 'remove_tag';
  @ApiProperty({ example: 'cold' })
  tag: string;
}

export class AssignUserAction {
  @ApiProperty({ enum: ['assign_user'] })
  type: 'assign_user';
  @ApiProperty({ type: 'integer', description: 'A user of the workspace.', example: 5 })
  user_id: number;
}

export class SetStatusAction {
  @ApiProperty({ enum: ['set_status'] })
  type: 'set_status';
  @ApiProperty({ enum: LEAD_STATUSES, example: 'contacted' })
  status: string;
}

export class MoveToStageAction {
  @ApiProperty({ enum: ['move_to_stage'] })
  type: 'move_to_stage';
  @ApiProperty({
    type: 'integer',
    description: 'A stage of the workspace; the lead moves to its pipeline too.',
    example: 2,
  })
  stage_id: number;
}

export class SetFieldAction {
  @ApiProperty({ enum: ['set_field'] })
  type: 'set_field';
  @ApiProperty({
    description: `A writable lead field (${Object.keys(SETTABLE_FIELDS).join(', ')}) or \`custom_fields.KEY\` (KEY: 1–64 letters, digits, \`_\`, \`-\`; not \`constructor\` or \`prototype\`; a custom field value is at most 1,000 characters).`,
    example: 'custom_fields.segment',
  })
  field: string;
  @ApiProperty({
    anyOf: [...SCALAR, { type: 'null' }],
    description:
      "Of the field's type: lead_score an integer, starred a boolean, email an address; null clears.",
    example: 'enterprise',
  })
  value: unknown;
}

export class SendWebhookAction {
  @ApiProperty({ enum: ['send_webhook'] })
  type: 'send_webhook';
  @ApiProperty({
    format: 'uri',
    description:
      'An http(s) URL reaching only globally routable addresses (no loopback, private, link-local, reserved ' +
      'or documentation range, no IPv6 form embedding one, not the server itself); checked again at send time.',
    example: 'https://hooks.example.com/leadhub',
  })
  url: string;
  @ApiPropertyOptional({
    description:
      'Signs each delivery (HMAC-SHA256). Stored encrypted and returned masked (`••••` + last 4 characters); ' +
      'sending the masked value back keeps the stored secret.',
    example: '••••9f3a',
  })
  secret?: string;
}

const TEMPLATE_NOTE =
  'A Mustache template over the lead as the API shows it (`{{first_name}}`, `{{email}}`, ' +
  '`{{custom_fields.budget}}`, `{{#tags}}{{.}} {{/tags}}`, `{{workspace.slug}}`, `{{event.type}}`).';

export class SendEmailAction {
  @ApiProperty({ enum: ['send_email'] })
  type: 'send_email';
  @ApiProperty({ type: 'integer', description: 'A mailgun integration of the workspace.', example: 3 })
  integration_id: number;
  @ApiPropertyOptional({
    description: `The recipient (default \`{{email}}\`: the lead's address; a run whose lead has none fails). ${TEMPLATE_NOTE}`,
    example: '{{email}}',
  })
  to?: string;
  @ApiProperty({
    description: `${TEMPLATE_NOTE} Values inserted as they are.`,
    example: 'Welcome, {{first_name}}!',
  })
  subject: string;
  @ApiPropertyOptional({
    description: `The plain-text body (text or html is required). ${TEMPLATE_NOTE} Values inserted as they are.`,
    example: 'Hello {{first_name}}, thanks for your interest in {{company}}.',
  })
  text?: string;
  @ApiPropertyOptional({
    description: `The HTML body. ${TEMPLATE_NOTE} Values are HTML-escaped; unescaped tags ({{{…}}}) are refused.`,
    example: '<p>Hello {{first_name}},</p><p>thanks for your interest.</p>',
  })
  html?: string;
}

export class NotifySlackAction {
  @ApiProperty({ enum: ['notify_slack'] })
  type: 'notify_slack';
  @ApiProperty({ type: 'integer', description: 'A slack integration of the workspace.', example: 4 })
  integration_id: number;
  @ApiProperty({
    description: `The message (Slack mrkdwn). ${TEMPLATE_NOTE} Values have &, < and > escaped as Slack asks, so a lead's data cannot mention or link; unescaped tags are refused.`,
    example: 'New lead: *{{first_name}} {{last_name}}* ({{email}}) from {{source}}',
  })
  text: string;
}

export const ACTION_MODELS = [
  AddTagAction,
  RemoveTagAction,
  AssignUserAction,
  SetStatusAction,
  MoveToStageAction,
  SetFieldAction,
  SendWebhookAction,
  SendEmailAction,
  NotifySlackAction,
];

const TYPE_NAMES = [
  'add_tag',
  'remove_tag',
  'assign_user',
  'set_status',
  'move_to_stage',
  'set_field',
  'send_webhook',
  'send_email',
  'notify_slack',
];

/** The `actions` array: each item one of the action shapes, by its `type`. */
export const ACTIONS_SCHEMA = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_ACTIONS,
  items: {
    oneOf: ACTION_MODELS.map((m) => ({ $ref: getSchemaPath(m) })),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(TYPE_NAMES.map((t, i) => [t, getSchemaPath(ACTION_MODELS[i])])),
    },
  },
} as const;
