import { ApiTimestamp } from '../../common/docs/api-types';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { LEAD_STATUSES, type LeadStatus } from '../lead.entity';
import { CUSTOM_FIELDS_SCHEMA, type CustomFields } from './lead-fields';

export class LeadResponse {
  @ApiProperty({ type: 'integer', example: 1842 })
  id: number;
  /** @example "Sarah" */
  first_name: string;
  /** @example "Johnson" */
  last_name: string | null;
  /** @example "sarah@example.com" */
  email: string | null;
  /** @example "+14155551234" */
  phone: string | null;
  /** @example "Tech Corp" */
  company: string | null;
  /** @example "website" */
  source: string | null;
  @ApiProperty({ enum: LEAD_STATUSES, example: 'new' })
  status: LeadStatus;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 })
  pipeline_id: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 2 })
  pipeline_stage_id: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 5 })
  assigned_user_id: number | null;
  /** @example "Interested in the enterprise plan." */
  notes: string | null;
  /** Flat object of the lead's own fields. */
  @ApiProperty(CUSTOM_FIELDS_SCHEMA as unknown as ApiPropertyOptions)
  custom_fields: CustomFields;
  /**
   * Tag names, sorted case-insensitively.
   * @example ["enterprise", "hot-lead"]
   */
  tags: string[];
  @ApiProperty({ type: 'integer', example: 40 })
  lead_score: number;
  /** @example false */
  starred: boolean;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  updated_at: string;
}
