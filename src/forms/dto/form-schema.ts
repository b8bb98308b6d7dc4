import { ApiReference } from '../../common/docs/api-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TAG_NAME_MAX, TAGS_MAX } from '../../leads/dto/lead-fields';
import {
  FIELD_TYPES,
  LABEL_MAX,
  LEAD_STATUSES,
  MAPPABLE_FIELDS,
  MAX_OPTIONS,
  OPTION_MAX,
} from '../form-definition';

/**
 * Documentation of a form's `fields` and `lead_defaults`. Requests are validated by FormDefinitionChecker, not by
 * these classes; they describe the same rules for the document.
 */

const MAPS_TO =
  `A lead field (${Object.keys(MAPPABLE_FIELDS).join(', ')}) or \`custom_fields.KEY\` (KEY: 1–64 letters, digits, ` +
  '`_`, `-`; not `constructor` or `prototype`); each target at most once per form; a checkbox only to `custom_fields.KEY`. Unmapped fields go to ' +
  "the lead's custom_fields under the field's name. Some field must map to first_name or email.";

export class FormFieldInput {
  @ApiProperty({
    pattern: '^[a-z][a-z0-9_]{0,63}$',
    description:
      'The key of its value in a submission; unique in the form. An unmapped field fills the custom_fields key of ' +
      'its name, which therefore cannot be `constructor` or `prototype`.',
    example: 'email',
  })
  name: string;

  @ApiProperty({ minLength: 1, maxLength: LABEL_MAX, example: 'Your email' })
  label: string;

  @ApiProperty({ enum: FIELD_TYPES, example: 'email' })
  type: string;

  @ApiPropertyOptional({
    default: false,
    description: 'A submission must give a non-empty value (a required checkbox must be true).',
  })
  required?: boolean;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    minItems: 1,
    maxItems: MAX_OPTIONS,
    uniqueItems: true,
    description: `Required for select fields (1–${MAX_OPTIONS} distinct strings of 1–${OPTION_MAX} characters); not allowed for other types.`,
    example: null,
  })
  options?: string[] | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: MAPS_TO, example: 'email' })
  maps_to?: string | null;
}

export class FormField {
  @ApiProperty({ example: 'email' })
  name: string;
  @ApiProperty({ example: 'Your email' })
  label: string;
  @ApiProperty({ enum: FIELD_TYPES, example: 'email' })
  type: string;
  @ApiProperty({ example: true })
  required: boolean;
  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'The choices of a select field.',
    example: null,
  })
  options: string[] | null;
  @ApiProperty({ type: 'string', nullable: true, description: MAPS_TO, example: 'email' })
  maps_to: string | null;
}

const ID = { type: 'integer', nullable: true, minimum: 1 } as const;

export class LeadDefaultsInput {
  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    minLength: 1,
    maxLength: 100,
    default: 'form',
    description: 'The source of leads the form creates (a field mapped to source wins); null: none.',
    example: 'website-form',
  })
  source?: string | null;

  @ApiPropertyOptional({
    enum: LEAD_STATUSES,
    nullable: true,
    description: 'The status of new leads (default: the lead default, new).',
    example: 'new',
  })
  status?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: TAGS_MAX,
    description: `Tag names (1–${TAG_NAME_MAX} characters) added to every lead the form creates or merges into.`,
    example: ['website'],
  })
  tags?: string[] | null;

  @ApiReference()
  @ApiPropertyOptional({ ...ID, description: 'A pipeline of the workspace for new leads.', example: 1 })
  pipeline_id?: number | null;

  @ApiReference()
  @ApiPropertyOptional({
    ...ID,
    description: 'A stage of pipeline_id (given alone, it brings its pipeline) for new leads.',
    example: 2,
  })
  stage_id?: number | null;

  @ApiReference()
  @ApiPropertyOptional({ ...ID, description: 'A user of the workspace who owns new leads.', example: 5 })
  assigned_user_id?: number | null;
}

export class LeadDefaults {
  @ApiProperty({ type: 'string', nullable: true, example: 'form' })
  source: string | null;
  @ApiProperty({ enum: LEAD_STATUSES, nullable: true, example: null })
  status: string | null;
  @ApiProperty({ type: [String], example: ['website'] })
  tags: string[];
  @ApiProperty({ type: 'integer', nullable: true, example: 1 })
  pipeline_id: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 })
  stage_id: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: null })
  assigned_user_id: number | null;
}
