import { ApiPropertyOptional } from '@nestjs/swagger';
import { UpdateType } from '../../common/crud/update-type';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { Trim } from '../../common/validation/trim';

/** A stage as given inline when creating a pipeline: the order of the array is the order of the stages. */
export class NewStageDto {
  /** @example "Qualified" */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  /**
   * Chance of winning a lead in this stage, in percent (integer 0–100, default 0).
   * @example 40
   */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, default: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100)
  probability?: number;
}

export class CreateStageDto extends NewStageDto {
  /**
   * 1-based place in the pipeline. Omitted: the stage goes last. Given: the stage is inserted there and the
   * stages from that place on move down one; a position past the end puts the stage last.
   * @example 2
   */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10_000)
  position?: number;
}

/**
 * Partial update. Changing `position` moves the stage: the stages in between shift by one, positions stay
 * 1..n without gaps; a position past the end moves the stage last.
 */
export class UpdateStageDto extends UpdateType(CreateStageDto) {}
