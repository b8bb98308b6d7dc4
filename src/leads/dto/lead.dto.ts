import { ApiReference } from '../../common/docs/api-types';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { LEAD_STATUSES, type LeadStatus } from '../lead.entity';
import {
  CUSTOM_FIELDS_SCHEMA,
  type CustomFields,
  IsCustomFields,
  NOTES_MAX,
  PHONE_PATTERN,
  RawObject,
  TAG_NAME_MAX,
  TAGS_MAX,
  Trim,
  TrimEach,
  TrimToNull,
} from './lead-fields';

const INT32_MAX = 2_147_483_647;
/** Validates the value unless it is absent (null is validated, and refused, for non-nullable fields). */
const IfPresent = () => ValidateIf((_: object, v: unknown) => v !== undefined);
const PHONE_MESSAGE =
  'The phone field may contain only digits, spaces, +, (, ), - and . (and at least one digit).';

/** The fields of a lead a client may write; shared by create and update. */
abstract class LeadFieldsDto {
  /**
   * Up to 255 characters; an empty string clears it.
   * @example "Johnson"
   */
  @TrimToNull()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  last_name?: string | null;

  /**
   * A valid email address, up to 320 characters.
   * @example "sarah@example.com"
   */
  @TrimToNull()
  @IsOptional()
  @IsString()
  @MaxLength(320)
  @IsEmail({}, { message: 'The email field must be a valid email address.' })
  email?: string | null;

  /**
   * Up to 50 characters: digits, spaces, `+ ( ) - .`. Searchable and de-duplicated by its digits.
   * @example "+14155551234"
   */
  @TrimToNull()
  @IsOptional()
  @IsString()
  @MaxLength(50)
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone?: string | null;

  /**
   * Up to 255 characters.
   * @example "Tech Corp"
   */
  @TrimToNull()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  company?: string | null;

  /**
   * Where the lead came from, up to 100 characters (filter with `source`).
   * @example "website"
   */
  @TrimToNull()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string | null;

  /** Default `new` on create; not nullable. */
  @ApiPropertyOptional({ enum: LEAD_STATUSES, example: 'new' })
  @IfPresent()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  /** A pipeline of the workspace. Clearing it (or moving to another pipeline) clears a stage of the old one. */
  @ApiReference()
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, example: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  pipeline_id?: number | null;

  /** A stage of `pipeline_id`; given alone, the lead moves to the stage's pipeline. */
  @ApiReference()
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  pipeline_stage_id?: number | null;

  /** A user of the workspace. */
  @ApiReference()
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, example: 5 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  assigned_user_id?: number | null;

  /**
   * Free text, up to 10,000 characters; an empty string clears it.
   * @example "Interested in the enterprise plan."
   */
  @TrimToNull()
  @IsOptional()
  @IsString()
  @MaxLength(NOTES_MAX)
  notes?: string | null;

  /**
   * Flat object (≤ 100 keys of 1–64 characters, not `__proto__`, `constructor` or `prototype`; values string ≤ 1000 characters, number, boolean or null).
   * Replaces the whole object; `{}` clears it.
   */
  @ApiPropertyOptional(CUSTOM_FIELDS_SCHEMA as unknown as ApiPropertyOptions)
  @RawObject()
  @IfPresent()
  @IsCustomFields()
  custom_fields?: CustomFields;

  /**
   * Tag names (≤ 50, each 1–100 characters). Replaces the lead's tags; unknown names are created; `[]` clears.
   * @example ["hot-lead", "enterprise"]
   */
  @ApiPropertyOptional({
    type: [String],
    maxItems: TAGS_MAX,
    items: { type: 'string', minLength: 1, maxLength: TAG_NAME_MAX },
  })
  @TrimEach()
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(TAGS_MAX)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(TAG_NAME_MAX, { each: true })
  tags?: string[];

  /** Integer score. */
  @ApiPropertyOptional({ type: 'integer', minimum: -INT32_MAX - 1, maximum: INT32_MAX, example: 40 })
  @IfPresent()
  @IsInt()
  @Min(-INT32_MAX - 1)
  @Max(INT32_MAX)
  lead_score?: number;

  /** @example false */
  @IfPresent()
  @IsBoolean()
  starred?: boolean;
}

export class CreateLeadDto extends LeadFieldsDto {
  /**
   * Required, 1–255 characters.
   * @example "Sarah"
   */
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Sarah' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  first_name: string;
}

/** PUT and PATCH: only the fields sent change; nullable fields are cleared with null. */
export class UpdateLeadDto extends LeadFieldsDto {
  /**
   * 1–255 characters; cannot be cleared.
   * @example "Sarah"
   */
  @ApiPropertyOptional({ minLength: 1, maxLength: 255, example: 'Sarah' })
  @Trim()
  @IfPresent()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  first_name?: string;
}

export class AddLeadTagDto {
  /**
   * A tag name (1–100 characters); created when unknown. Adding a tag the lead has is a no-op.
   * @example "vip-client"
   */
  @ApiProperty({ minLength: 1, maxLength: TAG_NAME_MAX, example: 'vip-client' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TAG_NAME_MAX)
  tag: string;
}
