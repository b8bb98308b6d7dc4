import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../pagination/pagination-query.dto';

export const DIRECTIONS = ['asc', 'desc'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** `direction` of every sortable list (default desc, as the reference). */
export class SortablePaginationQueryDto extends PaginationQueryDto {
  /** Sort direction. */
  @ApiPropertyOptional({ enum: DIRECTIONS, default: 'desc', description: 'Sort direction.' })
  @IsOptional()
  @IsIn(DIRECTIONS)
  direction: Direction = 'desc';
}

export function sqlDirection(d: Direction): 'ASC' | 'DESC' {
  return d === 'asc' ? 'ASC' : 'DESC';
}
