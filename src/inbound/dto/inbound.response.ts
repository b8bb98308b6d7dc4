import { ApiProperty } from '@nestjs/swagger';

export class InboundLeadResponse {
  /** `created` (201) or `duplicate` (200). */
  @ApiProperty({ enum: ['created', 'duplicate'], example: 'created' })
  status: 'created' | 'duplicate';

  /** The new lead, or the existing lead the submission was merged into. */
  @ApiProperty({ type: 'integer', example: 1842 })
  lead_id: number;

  /** @example false */
  is_duplicate: boolean;
}
