import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Documentation of Meta's Lead Ads webhook body (validated by hand: Meta may add fields). */
export class FacebookLeadgenValue {
  /** @example "444444444444" */
  leadgen_id: string;
  /** @example "123456789012345" */
  page_id: string;
  /** @example "555555555555" */
  form_id?: string;
  /** @example "666666666666" */
  ad_id?: string;
  /** @example "777777777777" */
  adgroup_id?: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1764000000 })
  created_time?: number;
}

export class FacebookChange {
  /** Only `leadgen` changes are taken in. @example "leadgen" */
  field: string;
  value: FacebookLeadgenValue;
}

export class FacebookEntry {
  /** The page id. @example "123456789012345" */
  id: string;
  @ApiProperty({ type: 'integer', example: 1764000000 })
  time: number;
  @ApiProperty({ type: () => [FacebookChange] })
  changes: FacebookChange[];
}

export class FacebookWebhookBody {
  /** @example "page" */
  object: string;
  @ApiProperty({ type: () => [FacebookEntry] })
  entry: FacebookEntry[];
}

export class FacebookWebhookAck {
  @ApiProperty({
    type: 'integer',
    description: 'How many new leadgen ids were queued (ids received before are not counted).',
    example: 1,
  })
  queued: number;
}

export class GoogleColumn {
  /** A standard column id (FULL_NAME, EMAIL, PHONE_NUMBER, …); absent for custom questions. @example "EMAIL" */
  column_id?: string;
  /** @example "User Email" */
  column_name?: string;
  /** @example "ada@example.com" */
  string_value: string;
}

/** Google Ads lead form webhook payload (validated by hand: Google may add fields). */
export class GoogleLeadBody {
  /** @example "TeSter-123-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz-0123456789-AaBbCcDdEe" */
  lead_id: string;
  @ApiProperty({ type: () => [GoogleColumn] })
  user_column_data: GoogleColumn[];
  /** @example "1.0" */
  api_version?: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 123456789 })
  form_id?: number;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 987654321 })
  campaign_id?: number;
  /** The webhook key of the integration. @example "s3cr3t-key" */
  google_key: string;
  /** @example true */
  is_test?: boolean;
  /** @example "EAIaIQobChMI" */
  gcl_id?: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 200000000 })
  adgroup_id?: number;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 300000000 })
  creative_id?: number;
}

export class ReceivedLeadResponse {
  @ApiProperty({
    enum: ['created', 'duplicate'],
    description: '`duplicate`: the lead matched an existing one, or this lead_id was received before.',
    example: 'created',
  })
  status: 'created' | 'duplicate';
  @ApiProperty({ type: 'integer', nullable: true, example: 1842 })
  lead_id: number | null;
  /** @example false */
  is_duplicate: boolean;
}
