import { Body, Controller, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Scopes } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiBodyErrors } from '../common/docs/api-responses';
import { CreatedLocation } from '../common/http/location.interceptor';
import { InboundLeadDto, InboundQueryDto } from './dto/inbound-lead.dto';
import { InboundLeadResponse } from './dto/inbound.response';
import { InboundService } from './inbound.service';
import { lenientInbound } from './inbound-body';
import { validateBody } from '../common/validation/api-validation.pipe';

@ApiTags('Inbound')
@Controller('inbound/leads')
export class InboundController {
  constructor(private readonly inbound: InboundService) {}

  @Post()
  @HttpCode(201)
  @Scopes('write:leads')
  @CreatedLocation((body) => `/api/v1/leads/${body.lead_id}`)
  @ApiOperation({
    summary: 'Receive an inbound lead',
    description:
      'For webhooks and no-code tools (Zapier, Make). The key must belong to the workspace named by `tenant` ' +
      '(otherwise 403 "This API key belongs to another workspace."). A lead with the same email (case-insensitive) or the same phone digits (7 or more) is a ' +
      'duplicate: 200 with its id; the submission only fills its empty fields and adds tags and missing ' +
      'custom_fields keys, never overwriting. Otherwise 201 with the new lead. Exactly one lead results even ' +
      'when the same submission arrives many times at once.\n\n' +
      'Lenient, for senders that cannot be configured: `""` and `null` mean the field was not sent; a number sent ' +
      'for a text field (a phone as a number) is taken as text; `"42"` and `"true"` are taken as numbers and ' +
      'booleans for lead_score and starred; tags may be a comma-separated string; a known field under another ' +
      'spelling (`Email`, `firstName`) is that field; every other top-level field is kept in custom_fields under ' +
      'its snake_case name (`"Budget Range"` → `budget_range`; an explicit custom_fields key wins), listed in ' +
      '`stored_as_custom_fields`. Only a missing or invalid email, or a value over its bounds, is a 422.',
  })
  @ApiResponse({ status: 201, type: InboundLeadResponse, description: 'A new lead was created.' })
  @ApiResponse({
    status: 200,
    type: InboundLeadResponse,
    description: 'A duplicate of an existing lead, merged into it.',
    example: { status: 'duplicate', lead_id: 1842, is_duplicate: true, stored_as_custom_fields: [] },
  })
  @ApiBody({ type: InboundLeadDto })
  @ApiBodyErrors()
  async receiveInboundLead(
    @CurrentPrincipal() caller: Principal,
    @Query() q: InboundQueryDto,
    // Untyped here (the global pipe would refuse extra fields): made lenient, then validated as InboundLeadDto.
    @Body() raw: unknown,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<InboundLeadResponse> {
    const { body, storedAsCustomFields } = lenientInbound(raw);
    const dto = await validateBody(InboundLeadDto, body);
    const result = await this.inbound.receive(caller, q.tenant, dto, storedAsCustomFields);
    if (result.is_duplicate) res.status(200);
    return result;
  }
}
