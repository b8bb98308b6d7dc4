import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { IsIsoDate } from '../../common/validation/iso-date';
import { LEAD_STATUSES, type LeadStatus } from '../lead.entity';
import { QueryBoolean } from '../../common/crud/query-boolean';

export const LEAD_SORTS = [
  'created_at',
  'updated_at',
  'lead_score',
  'first_name',
  'last_name',
  'email',
] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

const INT32_MAX = 2_147_483_647;

/** updated_after/updated_before (SyncablePaginationQueryDto): anything that changes what `GET /leads/{id}` returns
 * moves updated_at, including a deleted pipeline, stage, user or tag cleared from the lead. */
export class LeadFiltersDto extends SyncablePaginationQueryDto {
  /**
   * Exact source (case-sensitive).
   * @example "website"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  /** Status. */
  @ApiPropertyOptional({ enum: LEAD_STATUSES, example: 'new' })
  @IsOptional()
  @IsIn(LEAD_STATUSES)
  status?: LeadStatus;

  /** Leads in this pipeline. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  pipeline_id?: number;

  /** Leads in this pipeline stage (`pipeline_stage_id`). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  stage_id?: number;

  /** Leads assigned to this user. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 5 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INT32_MAX)
  assigned_user_id?: number;

  /**
   * Leads carrying this tag (by name, case-insensitive).
   * @example "vip-client"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  /**
   * Part of the first name, last name, email or phone (case-insensitive); a phone-like term also matches the
   * phone's digits (`415-555` finds `+1 (415) 555 1234`). Terms of 3+ characters use the search index.
   * @example "sarah"
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  /**
   * Created at or after this instant; a date alone means its start (00:00 UTC). Years 0001–9999.
   * @example "2026-03-01"
   */
  @IsOptional()
  @IsIsoDate()
  created_after?: string;

  /**
   * Created at or before this instant; a date alone includes that whole day (UTC). Years 0001–9999.
   * @example "2026-03-31"
   */
  @IsOptional()
  @IsIsoDate()
  created_before?: string;

  /** `true`: starred leads only; `false`: unstarred only. */
  @ApiPropertyOptional({ type: 'boolean' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  starred?: boolean;

  /** Sort field (default created_at); ties are broken by id in the same direction. Empty values sort last
   * ascending and first descending. */
  @ApiPropertyOptional({ enum: LEAD_SORTS, default: 'created_at' })
  @IsOptional()
  @IsIn(LEAD_SORTS)
  sort: LeadSort = 'created_at';
}
