import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { schemaRef } from '../../common/validation/json-schema';
import type { StoredAction, StoredCondition } from '../automation-definition';

interface StoredTrigger {
  type: string;
  conditions: StoredCondition[];
}
import { ACTIONS_SCHEMA } from '../automation-schemas';

export class AutomationResponse {
  @ApiProperty({ type: 'integer', example: 4 })
  id: number;
  /** @example "Welcome new website leads" */
  name: string;
  /** @example true */
  is_active: boolean;
  @ApiProperty(schemaRef('AutomationTrigger') as ApiPropertyOptions)
  trigger: StoredTrigger;
  @ApiProperty({ ...ACTIONS_SCHEMA, description: 'In order; webhook secrets masked.' })
  actions: StoredAction[];
  @ApiProperty({ type: 'integer', description: 'How many times the actions ran (read-only).', example: 0 })
  run_count: number;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the actions last ran (read-only).',
    example: null,
  })
  last_run_at: string | null;
  /** @example "2026-03-28T09:15:00+00:00" */
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  updated_at: string;
}
