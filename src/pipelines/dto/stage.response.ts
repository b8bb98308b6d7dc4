import { ApiTimestamp } from '../../common/docs/api-types';
import { ApiProperty } from '@nestjs/swagger';

export class StageResponse {
  @ApiProperty({ type: 'integer', example: 2 })
  id: number;
  @ApiProperty({ type: 'integer', example: 1 })
  pipeline_id: number;
  /** @example "Qualified" */
  name: string;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 2,
    description: '1-based, gap-free within the pipeline.',
  })
  position: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 40, description: 'Percent.' })
  probability: number;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  updated_at: string;
}
