import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UpdateType } from '../../common/crud/update-type';
import { IsOmittable } from '../../common/validation/omittable';
import { IsBoolean, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { SyncablePaginationQueryDto } from '../../common/crud/sync-window';
import { INTEGRATION_TYPE_NAMES } from '../integration-types';
import { Trim } from '../../common/validation/trim';
import { QueryBoolean } from '../../common/crud/query-boolean';

export const CONFIG_SCHEMA = {
  type: 'object' as const,
  additionalProperties: {
    anyOf: [
      { type: 'string' },
      { type: 'integer' },
      { type: 'boolean' },
      { type: 'array', items: { type: 'string' } },
      { type: 'object', additionalProperties: { type: 'string' } },
    ],
  },
};

export class CreateIntegrationDto {
  /**
   * One of the types of `GET /integrations/types`; cannot be changed later.
   * @example "mailgun"
   */
  @ApiProperty({ enum: INTEGRATION_TYPE_NAMES })
  @IsString()
  @IsIn(INTEGRATION_TYPE_NAMES)
  type: string;

  /** @example "Mailgun (EU)" */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  @ApiPropertyOptional({
    ...CONFIG_SCHEMA,
    description:
      "Values for the type's config fields (see `GET /integrations/types`): required fields must be present, " +
      'unknown keys are refused. Secret fields are stored encrypted and returned masked (`••••` + last 4 ' +
      'characters; shorter than 12 characters: `••••`). On update the config replaces the stored one as a ' +
      'whole, but a secret sent back exactly as the masked value keeps the stored secret. URL fields must be ' +
      'http(s) URLs reaching only globally routable addresses (no loopback, private, link-local, reserved or ' +
      'documentation ranges, no IPv6 forms embedding such an address, not the server itself).',
    example: { api_key: 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0', domain: 'mg.example.com', region: 'eu' },
  })
  @IsOptional()
  @IsObject()
  config?: Record<string, unknown>;

  /** Default true. */
  @IsOmittable()
  @IsBoolean()
  is_active?: boolean;
}

/** Partial; `type` may be sent only with its current value. */
export class UpdateIntegrationDto extends UpdateType(CreateIntegrationDto) {}

export const INTEGRATION_SORTS = ['name', 'created_at', 'updated_at'] as const;

export class IntegrationFiltersDto extends SyncablePaginationQueryDto {
  /** Only integrations of this type. */
  @ApiPropertyOptional({ enum: INTEGRATION_TYPE_NAMES })
  @IsOptional()
  @IsIn(INTEGRATION_TYPE_NAMES)
  type?: string;

  /** `true` or `false`. */
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  is_active?: boolean;

  /** Sort field (default created_at). */
  @IsOptional()
  @IsIn(INTEGRATION_SORTS)
  sort: (typeof INTEGRATION_SORTS)[number] = 'created_at';
}
