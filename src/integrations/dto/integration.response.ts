import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONFIG_FIELD_TYPES, type ConfigFieldType, integrationType } from '../integration-types';
import type { StoredConfig } from '../integration-config';
import { CONFIG_SCHEMA } from './integration.dto';

export class IntegrationResponse {
  @ApiProperty({ type: 'integer', example: 3 })
  id: number;
  /** @example "mailgun" */
  type: string;
  /** @example "Mailgun (EU)" */
  name: string;
  @ApiProperty({
    ...CONFIG_SCHEMA,
    description: 'The config; secret values masked (`••••` + last 4 characters).',
    example: { api_key: '••••eol0', domain: 'mg.example.com', region: 'eu' },
  })
  config: StoredConfig;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      "Facebook Lead Ads and Google Ads: the public URL to paste into Meta's app dashboard (Webhooks → Page → " +
      "leadgen, with the verify token) or into the Google Ads lead form's webhook settings (with the key). " +
      'Its last part is an unguessable token of this integration. Null for other types.',
    example: 'https://leads.example.com/api/v1/receivers/facebook/3f9a…c2',
  })
  receiver_url: string | null;
  /** @example true */
  is_active: boolean;
  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  updated_at: string;
}

export class IntegrationConfigFieldResponse {
  /** @example "api_key" */
  name: string;
  /** @example "API key" */
  label: string;
  @ApiProperty({ enum: CONFIG_FIELD_TYPES, example: 'string' })
  type: ConfigFieldType;
  /** @example true */
  required: boolean;
  /**
   * Stored encrypted and returned masked.
   * @example true
   */
  secret: boolean;
  /** @example "A Mailgun sending API key." */
  description: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'The allowed values, when the field has a fixed set.',
    example: ['us', 'eu'],
  })
  options?: string[];
}

export class IntegrationTypeResponse {
  /** @example "mailgun" */
  type: string;
  /** @example "Mailgun" */
  name: string;
  /** @example "Sends e-mail to leads through a Mailgun domain." */
  description: string;
  @ApiProperty({
    type: () => [IntegrationConfigFieldResponse],
    example: integrationType('mailgun')?.config_fields,
  })
  config_fields: IntegrationConfigFieldResponse[];
}

/** `{data: [...]}`: the whole catalog, not paginated. */
export class IntegrationTypeList {
  @ApiProperty({ type: () => [IntegrationTypeResponse] })
  data: IntegrationTypeResponse[];
}
