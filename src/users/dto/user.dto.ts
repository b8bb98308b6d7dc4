import { UpdateType } from '../../common/crud/update-type';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { QueryBoolean } from '../../common/crud/query-boolean';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { USER_ROLES, type UserRole } from '../user.entity';
import { Trim } from '../../common/validation/trim';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export class CreateUserDto {
  /** @example "Aiko Tanaka" */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  /**
   * Unique in the workspace, case-insensitive.
   * @example "aiko@example.com"
   */
  @Trim()
  @IsString()
  @IsEmail({}, { message: 'email must be an email' })
  @MaxLength(320)
  email: string;

  /**
   * Default agent.
   * @example "agent"
   */
  @IsOmittable()
  @IsIn(USER_ROLES)
  role?: UserRole;

  /**
   * Default true.
   * @example true
   */
  @IsOmittable()
  @IsBoolean()
  is_active?: boolean;

  /**
   * 12 to 256 characters. Stored only as an argon2id hash; never returned. On update, null removes it.
   * @example "correct horse battery staple"
   */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  password?: string | null;
}

/** Partial update (PUT and PATCH alike). */
export class UpdateUserDto extends UpdateType(CreateUserDto) {}

export const USER_SORTS = ['name', 'email', 'created_at', 'updated_at'] as const;

export class UserFiltersDto extends SyncablePaginationQueryDto {
  /** Only users with this role. */
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  /** Only active (true) or inactive (false) users. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  is_active?: boolean;

  /** Matches part of the name or the email, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  search?: string;

  /** Sort field (default created_at). */
  @IsOptional()
  @IsIn(USER_SORTS)
  sort: (typeof USER_SORTS)[number] = 'created_at';
}
