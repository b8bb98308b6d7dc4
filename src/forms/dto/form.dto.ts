import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { UpdateType } from '../../common/crud/update-type';
import { IsOmittable } from '../../common/validation/omittable';
import { MAX_FIELDS } from '../form-definition';
import { Trim } from '../../common/validation/trim';
import { QueryBoolean } from '../../common/crud/query-boolean';
import { schemaRef } from '../../common/validation/json-schema';
import '../form-schemas';

export class CreateFormDto {
  /** @example "Contact us" */
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Contact us' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  @ApiProperty({
    type: 'array',
    items: schemaRef('FormFieldInput'),
    minItems: 1,
    maxItems: MAX_FIELDS,
    description: 'The fields, in display order. Validated strictly; every problem is reported by its path.',
    example: [
      { name: 'name', label: 'Your name', type: 'text', required: true, maps_to: 'first_name' },
      { name: 'email', label: 'Email', type: 'email', required: true, maps_to: 'email' },
      { name: 'budget', label: 'Budget', type: 'select', options: ['< 10k', '10k+'] },
    ],
  })
  @IsDefined()
  fields: unknown;

  @ApiPropertyOptional({
    allOf: [schemaRef('LeadDefaultsInput')],
    description: 'Values for the leads the form creates (default: source "form", nothing else).',
  })
  @IsOmittable()
  @IsDefined()
  lead_defaults?: unknown;

  /** A submission to an inactive form is refused (422). Default true. */
  @IsOmittable()
  @IsBoolean()
  is_active?: boolean;

  /**
   * Published on the website: `POST /api/forms/{public_id}/submit` accepts submissions without an API key
   * (JSON or a plain HTML form post). Default false.
   */
  @IsOmittable()
  @IsBoolean()
  is_public?: boolean;

  /**
   * Where a browser is sent (303) after an HTML form post to the public endpoint; null: answer with JSON.
   * @example "https://www.example.com/thanks"
   */
  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 2048,
    format: 'uri',
    example: 'https://www.example.com/thanks',
  })
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'The success_url field must be an http(s) URL.' },
  )
  @MaxLength(2048)
  success_url?: string | null;
}

/** Partial; `fields` or `lead_defaults`, when sent, replace the stored ones as a whole. */
export class UpdateFormDto extends UpdateType(CreateFormDto) {}

export const FORM_SORTS = ['name', 'created_at', 'submissions_count', 'updated_at'] as const;

export class FormFiltersDto extends SyncablePaginationQueryDto {
  /** `true` or `false`. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  is_active?: boolean;

  /** Matches part of the name, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  search?: string;

  /** Sort field (default created_at). */
  @IsOptional()
  @IsIn(FORM_SORTS)
  sort: (typeof FORM_SORTS)[number] = 'created_at';
}
