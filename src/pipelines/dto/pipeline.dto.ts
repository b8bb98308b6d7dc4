import { ApiProperty, OmitType } from '@nestjs/swagger';
import { UpdateType } from '../../common/crud/update-type';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { NewStageDto } from './stage.dto';
import { Trim } from '../../common/validation/trim';

export const MAX_INLINE_STAGES = 50;

export class CreatePipelineDto {
  /**
   * Unique in the workspace, case-insensitive.
   * @example "Sales"
   */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  /** @example "Inbound B2B deals" */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  /**
   * The workspace's default pipeline (at most one: making this one the default clears the previous one).
   * @example false
   */
  @IsOmittable()
  @IsBoolean()
  is_default?: boolean;

  @ApiProperty({
    type: () => [NewStageDto],
    required: false,
    maxItems: MAX_INLINE_STAGES,
    description:
      'Stages to create with the pipeline, in this order (positions 1..n). Later changes go through ' +
      '`/pipelines/{pipeline_id}/stages`.',
    example: [
      { name: 'New', probability: 10 },
      { name: 'Won', probability: 100 },
    ],
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(MAX_INLINE_STAGES)
  @ValidateNested({ each: true })
  @Type(() => NewStageDto)
  stages?: NewStageDto[];
}

/** Partial update (PUT and PATCH alike); stages are changed through their own endpoints. */
export class UpdatePipelineDto extends UpdateType(OmitType(CreatePipelineDto, ['stages'] as const)) {}

export const PIPELINE_SORTS = ['name', 'created_at', 'updated_at'] as const;

export class PipelineFiltersDto extends SyncablePaginationQueryDto {
  /** Matches part of the name, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  search?: string;

  /** Sort field (default created_at). */
  @IsOptional()
  @IsIn(PIPELINE_SORTS)
  sort: (typeof PIPELINE_SORTS)[number] = 'created_at';
}
