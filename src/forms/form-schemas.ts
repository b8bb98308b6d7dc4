import { defineSchemas, type JsonSchema, recordId, trimmedText } from '../common/validation/json-schema';
import { TAG_NAME_MAX, TAGS_MAX } from '../leads/dto/lead-fields';
import {
  CUSTOM_FIELD_TARGET,
  FIELD_NAME,
  FIELD_TYPES,
  LABEL_MAX,
  LEAD_STATUSES,
  MAPPABLE_FIELDS,
  MAX_OPTIONS,
  OPTION_MAX,
} from './form-definition';

/**
 * The JSON Schemas of a form's `fields` and `lead_defaults`: ajv validates requests with them
 * (form-definition.checker.ts) and the document publishes them as components. Rules between fields and
 * records of the workspace are checked after them, in the checker.
 */

const MAPS_TO =
  `A lead field (${Object.keys(MAPPABLE_FIELDS).join(', ')}) or \`custom_fields.KEY\` (KEY: 1–64 letters, digits, ` +
  '`_`, `-`; not `constructor` or `prototype`); each target at most once per form; a checkbox only to `custom_fields.KEY`. Unmapped fields go to ' +
  "the lead's custom_fields under the field's name. Some field must map to first_name or email.";

export const OPTIONS_MESSAGE = `must be an array of 1 to ${MAX_OPTIONS} distinct non-empty strings (each at most ${OPTION_MAX} characters), required for select fields.`;
const FIELD_TYPE = { type: 'string', enum: FIELD_TYPES, example: 'email' };

export const FORM_FIELD_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    name: {
      type: 'string',
      pattern: FIELD_NAME.source,
      'x-message':
        'must start with a lowercase letter and contain only lowercase letters, digits and underscores (at most 64 characters).',
      description:
        'The key of its value in a submission; unique in the form. An unmapped field fills the custom_fields key of ' +
        'its name, which therefore cannot be `constructor` or `prototype`.',
      example: 'email',
    },
    label: { ...trimmedText(LABEL_MAX), example: 'Your email' },
    type: FIELD_TYPE,
    required: {
      type: 'boolean',
      default: false,
      description: 'A submission must give a non-empty value (a required checkbox must be true).',
    },
    options: {
      type: ['array', 'null'],
      minItems: 1,
      maxItems: MAX_OPTIONS,
      uniqueItems: true,
      items: trimmedText(OPTION_MAX),
      'x-message': OPTIONS_MESSAGE,
      description: `Required for select fields (1–${MAX_OPTIONS} distinct strings of 1–${OPTION_MAX} characters); not allowed for other types.`,
      example: null,
    },
    maps_to: {
      type: ['string', 'null'],
      anyOf: [
        { enum: [...Object.keys(MAPPABLE_FIELDS), null] },
        { type: 'string', pattern: CUSTOM_FIELD_TARGET.source, maxLength: 'custom_fields.'.length + 64 },
      ],
      'x-message': `must be a lead field (${Object.keys(MAPPABLE_FIELDS).join(', ')}) or custom_fields.KEY (KEY: 1 to 64 letters, digits, _ or -).`,
      description: MAPS_TO,
      example: 'email',
    },
  },
  required: ['name', 'label', 'type'],
  additionalProperties: false,
};

export const LEAD_DEFAULTS_INPUT: JsonSchema = {
  type: 'object',
  properties: {
    source: {
      ...trimmedText(100, true),
      default: 'form',
      description: 'The source of leads the form creates (a field mapped to source wins); null: none.',
      example: 'website-form',
    },
    status: {
      type: ['string', 'null'],
      enum: [...LEAD_STATUSES, null],
      description: 'The status of new leads (default: the lead default, new).',
      example: 'new',
    },
    tags: {
      type: ['array', 'null'],
      maxItems: TAGS_MAX,
      items: trimmedText(TAG_NAME_MAX),
      description: `Tag names (1–${TAG_NAME_MAX} characters) added to every lead the form creates or merges into.`,
      example: ['website'],
    },
    pipeline_id: { ...recordId(true), description: 'A pipeline of the workspace for new leads.', example: 1 },
    stage_id: {
      ...recordId(true),
      description: 'A stage of pipeline_id (given alone, it brings its pipeline) for new leads.',
      example: 2,
    },
    assigned_user_id: {
      ...recordId(true),
      description: 'A user of the workspace who owns new leads.',
      example: 5,
    },
  },
  additionalProperties: false,
};

const NULLABLE_ID = { type: ['integer', 'null'] };

defineSchemas({
  FormFieldInput: FORM_FIELD_INPUT,
  FormField: {
    type: 'object',
    properties: {
      name: { type: 'string', example: 'email' },
      label: { type: 'string', example: 'Your email' },
      type: FIELD_TYPE,
      required: { type: 'boolean', example: true },
      options: {
        type: ['array', 'null'],
        items: { type: 'string' },
        description: 'The choices of a select field.',
        example: null,
      },
      maps_to: { type: ['string', 'null'], description: MAPS_TO, example: 'email' },
    },
    required: ['name', 'label', 'type', 'required', 'options', 'maps_to'],
  },
  LeadDefaultsInput: LEAD_DEFAULTS_INPUT,
  LeadDefaults: {
    type: 'object',
    properties: {
      source: { type: ['string', 'null'], example: 'form' },
      status: { type: ['string', 'null'], enum: [...LEAD_STATUSES, null], example: null },
      tags: { type: 'array', items: { type: 'string' }, example: ['website'] },
      pipeline_id: { ...NULLABLE_ID, example: 1 },
      stage_id: { ...NULLABLE_ID, example: 2 },
      assigned_user_id: { ...NULLABLE_ID, example: null },
    },
    required: ['source', 'status', 'tags', 'pipeline_id', 'stage_id', 'assigned_user_id'],
  },
});
