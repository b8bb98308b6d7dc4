import { ApiTimestamp } from '../../common/docs/api-types';
import { ApiProperty } from '@nestjs/swagger';

export class TagResponse {
  @ApiProperty({ type: 'integer', example: 7 })
  id: number;
  /** @example "vip-client" */
  name: string;
  /** @example "#FF5733" */
  color: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 42, description: 'Leads carrying this tag.' })
  leads_count: number;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  updated_at: string;
}
