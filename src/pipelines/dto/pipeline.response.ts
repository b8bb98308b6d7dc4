import { ApiTimestamp } from '../../common/docs/api-types';
import { ApiProperty } from '@nestjs/swagger';
import { StageResponse } from './stage.response';

export class PipelineResponse {
  @ApiProperty({ type: 'integer', example: 1 })
  id: number;
  /** @example "Sales" */
  name: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'Inbound B2B deals' })
  description: string | null;
  /** @example true */
  is_default: boolean;
  @ApiProperty({ type: () => [StageResponse], description: 'The stages, ordered by position.' })
  stages: StageResponse[];
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  created_at: string;
  /** @example "2026-03-28T09:15:00+00:00" */
  @ApiTimestamp()
  updated_at: string;
}
