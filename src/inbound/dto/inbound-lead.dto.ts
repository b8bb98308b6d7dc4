import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { SLUG_PATTERN } from '../../workspaces/workspace.constants';
import { Trim } from '../../leads/dto/lead-fields';
import { UpdateLeadDto } from '../../leads/dto/lead.dto';

/** `?tenant=SLUG`: the workspace the caller's key must belong to. */
export class InboundQueryDto {
  /**
   * The workspace's slug; the API key must belong to it (otherwise 403).
   * @example "default"
   */
  @ApiProperty({ example: 'default', maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  @Matches(SLUG_PATTERN, { message: 'The tenant field must be a workspace slug.' })
  tenant: string;
}

/**
 * A lead from a webhook or no-code tool. Only `email` is required; without `first_name` the email's local part
 * is used. Same limits as a lead's fields. Lenient (src/inbound/inbound-body.ts): `""`/null are absent, numbers
 * for text become text, `"42"`/`"true"` become numbers/booleans for lead_score/starred, tags may be a
 * comma-separated string, other top-level fields are kept in custom_fields under snake_case keys.
 */
export class InboundLeadDto extends PickType(UpdateLeadDto, [
  'first_name',
  'last_name',
  'phone',
  'company',
  'source',
  'notes',
  'tags',
  'custom_fields',
  'lead_score',
  'starred',
] as const) {
  /**
   * Required; a valid email address (up to 320 characters). A lead with the same email (case-insensitive) or
   * phone (same digits) is a duplicate.
   * @example "sarah@example.com"
   */
  @ApiProperty({ example: 'sarah@example.com', maxLength: 320 })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  @IsEmail({}, { message: 'The email field must be a valid email address.' })
  email: string;
}
