import {
  defineSchemas,
  type JsonSchema,
  recordId,
  schemaRef,
  trimmedText,
} from '../common/validation/json-schema';
import {
  CONDITION_FIELDS,
  CUSTOM_FIELD,
  LEAD_STATUSES,
  MAX_ACTIONS,
  MAX_CONDITIONS,
  MAX_IN_VALUES,
  OPERATORS,
  SETTABLE_FIELDS,
  TRIGGER_TYPES,
} from './automation-definition';

/**
 * The JSON Schemas of an automation's trigger, conditions and actions: ajv validates requests with them
 * (automation.validator.ts) and the document publishes them as components. What a schema cannot say (which
 * operators suit a field, a value of the field's type, records of the workspace, public URLs, templates) is
 * checked after it, in the validator.
 */

/** `custom_fields.KEY` (the pattern bounds the length; maxLength says so for linters and clients). */
const CUSTOM_FIELD_PATH = {
  type: 'string',
  pattern: CUSTOM_FIELD.source,
  maxLength: 'custom_fields.'.length + 100,
};
const SCALAR = [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }];

const CONDITION: JsonSchema = {
  type: 'object',
  properties: {
    field: {
      type: 'string',
      anyOf: [{ enum: Object.keys(CONDITION_FIELDS) }, CUSTOM_FIELD_PATH],
      'x-message': `must be a lead field (${Object.keys(CONDITION_FIELDS).join(', ')}) or custom_fields.KEY.`,
      description: `A lead field (${Object.keys(CONDITION_FIELDS).join(', ')}) or \`custom_fields.KEY\`.`,
      example: 'status',
    },
    operator: {
      type: 'string',
      enum: OPERATORS,
      example: 'equals',
      description:
        'Which operators a field accepts: text fields equals, not_equals, contains, in, is_empty, is_not_empty; ' +
        'status equals, not_equals, in; pipeline_id, pipeline_stage_id, assigned_user_id equals, not_equals, in, ' +
        'is_empty, is_not_empty; lead_score equals, not_equals, in, gt, lt; starred equals, not_equals; tags ' +
        'contains, in, is_empty, is_not_empty; custom fields all.',
    },
    value: {
      anyOf: [...SCALAR, { type: 'array', items: { anyOf: SCALAR }, minItems: 1, maxItems: MAX_IN_VALUES }],
      'x-message': `must be a string, a number, a boolean or an array of 1 to ${MAX_IN_VALUES} of them.`,
      description:
        'Required except for is_empty / is_not_empty (where it is omitted). `in` takes an array; gt / lt a ' +
        'number; status values are lead statuses; ids must be records of the workspace.',
      example: 'new',
    },
  },
  required: ['field', 'operator'],
  additionalProperties: false,
};

const CONDITIONS_EXAMPLE = [
  { field: 'source', operator: 'equals', value: 'website' },
  { field: 'lead_score', operator: 'gt', value: 50 },
];
const TRIGGER_TYPE = { type: 'string', enum: TRIGGER_TYPES, example: 'lead.created' };

const TEMPLATE_NOTE =
  'A Mustache template over the lead as the API shows it (`{{first_name}}`, `{{email}}`, ' +
  '`{{custom_fields.budget}}`, `{{#tags}}{{.}} {{/tags}}`, `{{workspace.slug}}`, `{{event.type}}`).';

/** An action: its `type` and exactly these parameters (`required` ones must be present). */
function action(type: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return {
    type: 'object',
    properties: { type: { type: 'string', enum: [type] }, ...properties },
    required: ['type', ...required],
    additionalProperties: false,
  };
}

/** Every action type, its component name and schema: the one list of action types. */
const ACTIONS = {
  add_tag: [
    'AddTagAction',
    action(
      'add_tag',
      {
        tag: {
          ...trimmedText(100),
          description: 'A tag name (created if unknown when the action runs).',
          example: 'hot-lead',
        },
      },
      ['tag'],
    ),
  ],
  remove_tag: [
    'RemoveTagAction',
    action('remove_tag', { tag: { ...trimmedText(100), example: 'cold' } }, ['tag']),
  ],
  assign_user: [
    'AssignUserAction',
    action(
      'assign_user',
      { user_id: { ...recordId(), description: 'A user of the workspace.', example: 5 } },
      ['user_id'],
    ),
  ],
  set_status: [
    'SetStatusAction',
    action('set_status', { status: { type: 'string', enum: LEAD_STATUSES, example: 'contacted' } }, [
      'status',
    ]),
  ],
  move_to_stage: [
    'MoveToStageAction',
    action(
      'move_to_stage',
      {
        stage_id: {
          ...recordId(),
          description: 'A stage of the workspace; the lead moves to its pipeline too.',
          example: 2,
        },
      },
      ['stage_id'],
    ),
  ],
  set_field: [
    'SetFieldAction',
    action(
      'set_field',
      {
        field: {
          type: 'string',
          anyOf: [{ enum: Object.keys(SETTABLE_FIELDS) }, CUSTOM_FIELD_PATH],
          'x-message': `must be a writable lead field (${Object.keys(SETTABLE_FIELDS).join(', ')}) or custom_fields.KEY.`,
          description: `A writable lead field (${Object.keys(SETTABLE_FIELDS).join(', ')}) or \`custom_fields.KEY\` (KEY: 1–64 letters, digits, \`_\`, \`-\`; not \`constructor\` or \`prototype\`; a custom field value is at most 1,000 characters).`,
          example: 'custom_fields.segment',
        },
        value: {
          anyOf: [...SCALAR, { type: 'null' }],
          'x-message': 'must be a string, a number, a boolean or null.',
          description:
            "Of the field's type: lead_score an integer, starred a boolean, email an address; null clears.",
          example: 'enterprise',
        },
      },
      ['field', 'value'],
    ),
  ],
  send_webhook: [
    'SendWebhookAction',
    action(
      'send_webhook',
      {
        url: {
          ...trimmedText(2048),
          format: 'uri',
          description:
            'An http(s) URL reaching only globally routable addresses (no loopback, private, link-local, reserved ' +
            'or documentation range, no IPv6 form embedding one, not the server itself); checked again at send time.',
          example: 'https://hooks.example.com/leadhub',
        },
        secret: {
          type: ['string', 'null'],
          minLength: 1,
          maxLength: 500,
          'x-message': 'must be a string of 1 to 500 characters.',
          description:
            'Signs each delivery (HMAC-SHA256). Stored encrypted and returned masked (`••••` + last 4 characters); ' +
            'sending the masked value back keeps the stored secret.',
          example: '••••9f3a',
        },
      },
      ['url'],
    ),
  ],
  send_email: [
    'SendEmailAction',
    action(
      'send_email',
      {
        integration_id: { ...recordId(), description: 'A mailgun integration of the workspace.', example: 3 },
        to: {
          ...trimmedText(320, true),
          description: `The recipient (default \`{{email}}\`: the lead's address; a run whose lead has none fails). ${TEMPLATE_NOTE}`,
          example: '{{email}}',
        },
        subject: {
          ...trimmedText(998),
          description: `${TEMPLATE_NOTE} Values inserted as they are.`,
          example: 'Welcome, {{first_name}}!',
        },
        text: {
          ...trimmedText(100_000, true),
          description: `The plain-text body (text or html is required). ${TEMPLATE_NOTE} Values inserted as they are.`,
          example: 'Hello {{first_name}}, thanks for your interest in {{company}}.',
        },
        html: {
          ...trimmedText(100_000, true),
          description: `The HTML body. ${TEMPLATE_NOTE} Values are HTML-escaped; unescaped tags ({{{…}}}) are refused.`,
          example: '<p>Hello {{first_name}},</p><p>thanks for your interest.</p>',
        },
      },
      ['integration_id', 'subject'],
    ),
  ],
  notify_slack: [
    'NotifySlackAction',
    action(
      'notify_slack',
      {
        integration_id: { ...recordId(), description: 'A slack integration of the workspace.', example: 4 },
        text: {
          ...trimmedText(4000),
          description: `The message (Slack mrkdwn). ${TEMPLATE_NOTE} Values have &, < and > escaped as Slack asks, so a lead's data cannot mention or link; unescaped tags are refused.`,
          example: 'New lead: *{{first_name}} {{last_name}}* ({{email}}) from {{source}}',
        },
      },
      ['integration_id', 'text'],
    ),
  ],
} as const satisfies Record<string, readonly [string, JsonSchema]>;

export type ActionType = keyof typeof ACTIONS;
export const ACTION_SCHEMAS = Object.fromEntries(
  Object.entries(ACTIONS).map(([type, [, schema]]) => [type, schema]),
) as Record<ActionType, JsonSchema>;

defineSchemas({
  AutomationCondition: CONDITION,
  AutomationTriggerInput: {
    type: 'object',
    properties: {
      type: TRIGGER_TYPE,
      conditions: {
        type: 'array',
        maxItems: MAX_CONDITIONS,
        items: schemaRef('AutomationCondition'),
        description: 'All must hold for the actions to run (default: none).',
        example: CONDITIONS_EXAMPLE,
      },
    },
    required: ['type'],
    additionalProperties: false,
  },
  AutomationTrigger: {
    type: 'object',
    properties: {
      type: TRIGGER_TYPE,
      conditions: {
        type: 'array',
        items: schemaRef('AutomationCondition'),
        description: 'All must hold for the actions to run.',
        example: CONDITIONS_EXAMPLE,
      },
    },
    required: ['type', 'conditions'],
  },
  ...Object.fromEntries(Object.values(ACTIONS)),
});

/** The `actions` array: each item one of the action shapes, chosen by its `type`. */
export const ACTIONS_SCHEMA: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_ACTIONS,
  items: {
    type: 'object',
    oneOf: Object.values(ACTIONS).map(([name]) => schemaRef(name)),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(
        Object.entries(ACTIONS).map(([type, [name]]) => [type, schemaRef(name).$ref]),
      ),
    },
  },
};
