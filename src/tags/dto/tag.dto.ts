import { UpdateType } from '../../common/crud/update-type';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { Trim } from '../../common/validation/trim';

export class CreateTagDto {
  /**
   * Unique in the workspace, case-insensitive.
   * @example "vip-client"
   */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  /**
   * Colour as #RRGGBB.
   * @example "#FF5733"
   */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^#[0-9A-Fa-f]{6}$/, { message: 'color must be a colour as #RRGGBB' })
  color?: string | null;
}

/** Partial update (PUT and PATCH alike); `name: null` is a 422, `color: null` removes the colour. */
export class UpdateTagDto extends UpdateType(CreateTagDto) {}

export const TAG_SORTS = ['name', 'created_at', 'leads_count', 'updated_at'] as const;

export class TagFiltersDto extends SyncablePaginationQueryDto {
  /** Matches part of the name, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  /** Sort field (default created_at). */
  @IsOptional()
  @IsIn(TAG_SORTS)
  sort: (typeof TAG_SORTS)[number] = 'created_at';
}
