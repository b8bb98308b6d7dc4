import { CUSTOM_FIELDS_MAX_KEYS } from '../../leads/dto/lead-fields';
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

  /**
   * The custom_fields keys under which extra top-level fields of the submission were kept (snake_case).
   * On a duplicate, keys the lead already had keep their old values.
   */
  @ApiProperty({ type: [String], maxItems: CUSTOM_FIELDS_MAX_KEYS, example: ['budget_range'] })
  stored_as_custom_fields: string[];
}
