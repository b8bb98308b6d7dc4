import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal';
import { ApiException } from '../common/errors/api.exception';
import { LeadIntakeService } from '../leads/lead-intake.service';
import { InboundLeadDto } from './dto/inbound-lead.dto';
import { InboundLeadResponse } from './dto/inbound.response';

@Injectable()
export class InboundService {
  constructor(private readonly intake: LeadIntakeService) {}

  /**
   * The key must belong to the named tenant: a valid key naming another (or an unknown) workspace is a 403 that
   * says so — the key is fine, the tenant is wrong — with the same words either way (no probing of slugs).
   */
  async receive(
    caller: Principal,
    tenant: string,
    dto: InboundLeadDto,
    storedAsCustomFields: string[] = [],
  ): Promise<InboundLeadResponse> {
    if (caller.workspaceSlug !== tenant)
      throw new ApiException('FORBIDDEN', 'This API key belongs to another workspace.');
    const { leadId, isDuplicate } = await this.intake.intake(caller.workspaceId, dto);
    return {
      status: isDuplicate ? 'duplicate' : 'created',
      lead_id: leadId,
      is_duplicate: isDuplicate,
      stored_as_custom_fields: storedAsCustomFields,
    };
  }
}
