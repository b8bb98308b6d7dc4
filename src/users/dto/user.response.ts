import { ApiTimestamp } from '../../common/docs/api-types';
import { ApiProperty } from '@nestjs/swagger';
import { USER_ROLES, type UserRole } from '../user.entity';

/** A user; the password (hash) is never part of it. */
export class UserResponse {
  @ApiProperty({ type: 'integer', example: 5 })
  id: number;
  /** @example "Aiko Tanaka" */
  name: string;
  /** @example "aiko@example.com" */
  email: string;
  @ApiProperty({ enum: USER_ROLES, example: 'agent' })
  role: UserRole;
  /** @example true */
  is_active: boolean;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  updated_at: string;
}
