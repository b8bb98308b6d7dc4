import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { schemaRef } from '../../common/validation/json-schema';
import type { LeadDefaults, StoredField } from '../form-definition';
import '../form-schemas';

export class FormResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  id: number;
  /** @example "Contact us" */
  name: string;
  @ApiProperty({ type: 'array', items: schemaRef('FormField') })
  fields: StoredField[];
  @ApiProperty(schemaRef('LeadDefaults') as ApiPropertyOptions)
  lead_defaults: LeadDefaults;
  /** @example true */
  is_active: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Submissions received (read-only).', example: 12 })
  submissions_count: number;
  /** Published: the public endpoint takes submissions without a key. @example false */
  is_public: boolean;
  @ApiProperty({
    maxLength: 64,
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    description: 'The id of `POST /api/forms/{public_id}/submit` (read-only; accepted only while is_public).',
    example: '8f14e45fceea167a5a36dedd4bea2543',
  })
  public_id: string;
  @ApiProperty({ type: 'string', nullable: true, format: 'uri', maxLength: 2048, example: null })
  success_url: string | null;
  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  updated_at: string;
}

export class FormSubmissionCreatedResponse {
  @ApiProperty({ type: 'integer', example: 91 })
  id: number;
  @ApiProperty({ type: 'integer', example: 3 })
  form_id: number;
  @ApiProperty({
    type: 'integer',
    description: 'The new lead, or the lead it was merged into.',
    example: 1842,
  })
  lead_id: number;
  /** true when the submission matched an existing lead (same email or phone) and was merged into it. */
  @ApiProperty({ example: false })
  is_duplicate: boolean;
  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
}

export class FormSubmissionResponse {
  @ApiProperty({ type: 'integer', example: 91 })
  id: number;
  @ApiProperty({ type: 'integer', example: 3 })
  form_id: number;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'null once the lead was deleted.',
    example: 1842,
  })
  lead_id: number | null;
  @ApiProperty({ example: false })
  is_duplicate: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'null' }] },
    description: 'The values as submitted, by field name.',
    example: { name: 'Sarah', email: 'sarah@example.com', budget: '10k+' },
  })
  values: Record<string, string | boolean | null>;
  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
}
