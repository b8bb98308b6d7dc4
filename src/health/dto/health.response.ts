import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthResponse {
  /** @example "ok" */
  status: 'ok';
  /** @example "1.0.0" */
  version: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  timestamp: string;
}

export class ReadinessBacklog {
  @ApiProperty({
    type: 'integer',
    description: 'Domain events the automation worker has not processed yet.',
    example: 0,
  })
  events: number;

  @ApiProperty({
    type: 'integer',
    description: 'Age in seconds of the oldest unprocessed event (0 when there is none).',
    example: 0,
  })
  oldest_event_age_seconds: number;

  @ApiProperty({ type: 'integer', description: 'Webhook deliveries due now and not yet sent.', example: 0 })
  webhooks_due: number;
}

export class ReadinessResponse {
  @ApiProperty({
    enum: ['ok', 'degraded', 'unavailable'],
    description:
      '`ok`: everything answers. `degraded`: serving, but Redis does not answer (rate limits are counted per ' +
      'instance meanwhile). `unavailable` (503): the database does not answer.',
    example: 'ok',
  })
  status: 'ok' | 'degraded' | 'unavailable';

  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' })
  database: 'ok' | 'unavailable';

  @ApiPropertyOptional({
    enum: ['ok', 'unavailable'],
    description: 'Present when the instance shares its rate-limit counters through Redis (`REDIS_URL`).',
    example: 'ok',
  })
  redis?: 'ok' | 'unavailable';

  @ApiProperty({
    type: ReadinessBacklog,
    nullable: true,
    description: 'The automation worker backlog; null while the database does not answer.',
  })
  backlog: ReadinessBacklog | null;

  @ApiProperty({
    description: 'When these checks ran: results are reused for about a second.',
    example: '2026-03-28T09:15:00+00:00',
    maxLength: 25,
    format: 'date-time',
  })
  checked_at: string;
}
