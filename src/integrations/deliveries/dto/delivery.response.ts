import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'processed', 'failed', 'cancelled'] as const;
export const DELIVERY_KIND_NAMES = [
  'webhook',
  'subscription',
  'email',
  'slack',
  'facebook_lead',
  'google_ads_lead',
] as const;

/**
 * One delivery: an outbound attempt series (a webhook, a subscription's event, an e-mail, a Slack message) or
 * an inbound receipt (a Facebook or Google Ads lead), with its attempts so far.
 */
export class DeliveryResponse {
  @ApiProperty({
    format: 'uuid',
    description: 'Outbound: the X-LeadHub-Delivery header, the same on every attempt.',
    example: '0b9e3c1a-5d2f-4e8b-9a7c-6f1d2e3b4a5c',
  })
  id: string;

  @ApiProperty({ enum: ['outbound', 'inbound'], example: 'outbound' })
  direction: 'outbound' | 'inbound';

  @ApiProperty({
    enum: DELIVERY_KIND_NAMES,
    description:
      'Outbound: `webhook` (send_webhook action), `subscription` (webhook integration), `email` (Mailgun), ' +
      '`slack`. Inbound: `facebook_lead`, `google_ads_lead`.',
    example: 'email',
  })
  kind: string;

  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description:
      '`pending`: waiting for its (next) attempt; `delivered` (outbound) / `processed` (inbound): done; ' +
      '`failed`: refused for good or out of attempts (can be retried); `cancelled`: its integration was ' +
      'deleted or turned inactive before it was sent.',
    example: 'delivered',
  })
  status: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The event that caused it (outbound).',
    example: 'lead.created',
  })
  event_type: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "Where it went (outbound): the URL, or for e-mail and Slack the service's address only.",
    example: 'https://api.mailgun.net/v3/mg.example.com/messages',
  })
  destination: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: "The outside service's lead id (inbound: Facebook leadgen_id, Google lead_id).",
    example: null,
  })
  external_id: string | null;

  @ApiProperty({ type: 'integer', example: 1 })
  attempts: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'HTTP status of the last answer.',
    example: 200,
  })
  last_status_code: number | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Why the last attempt failed (no secrets, no addresses).',
    example: null,
  })
  last_error: string | null;

  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is due (null unless pending).',
    example: null,
  })
  next_attempt_at: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The automation run that queued it.',
    example: 311,
  })
  automation_run_id: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The lead it was about (outbound) or that it created or matched (inbound).',
    example: 1842,
  })
  lead_id: number | null;

  @ApiProperty({
    type: 'boolean',
    nullable: true,
    description: 'Inbound: whether the lead matched an existing one.',
    example: null,
  })
  is_duplicate: boolean | null;

  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
  /** @example "2026-03-28T09:15:01+00:00" */
  updated_at: string;
}

export class DeliveryFiltersDto extends PaginationQueryDto {
  /** Only deliveries with this status. */
  @ApiProperty({ enum: DELIVERY_STATUSES, required: false })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: string;
}
