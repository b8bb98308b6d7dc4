import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdPipe } from '../common/crud/id.pipe';
import { ApiBodyErrors, ApiDataResponse, ApiRecordErrors } from '../common/docs/api-responses';
import { AddLeadTagDto } from './dto/lead.dto';
import { LeadResponse } from './dto/lead.response';
import { toLeadResponse } from './lead-record';
import { LeadsService } from './leads.service';

@ApiTags('Leads')
@Controller('v1/leads/:id/tags')
export class LeadTagsController {
  constructor(private readonly leads: LeadsService) {}

  @Post()
  @HttpCode(200)
  @Scopes('write:leads')
  @ApiOperation({
    summary: 'Add a tag to a lead',
    description:
      'Idempotent: adding a tag the lead already has (compared case-insensitively) changes nothing and still ' +
      'returns 200 with the lead. An unknown tag name is created.',
  })
  @ApiDataResponse(LeadResponse, 200, 'The lead with its tags.')
  @ApiRecordErrors()
  @ApiBodyErrors()
  async addLeadTag(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Body() dto: AddLeadTagDto,
  ): Promise<{ data: LeadResponse }> {
    return { data: toLeadResponse(await this.leads.addTag(ws, id, dto.tag)) };
  }

  @Delete(':tag')
  @Scopes('write:leads')
  @ApiOperation({
    summary: 'Remove a tag from a lead',
    description:
      'Idempotent: removing a tag the lead does not have (or a name no tag has) changes nothing and still ' +
      'returns 200 with the lead; only an unknown lead is a 404. The tag itself is kept (delete it with ' +
      '`DELETE /tags/{id}`).',
  })
  @ApiParam({
    name: 'tag',
    description: 'The tag name (URL-encoded), case-insensitive.',
    example: 'vip-client',
  })
  @ApiDataResponse(LeadResponse, 200, 'The lead with its tags.')
  @ApiRecordErrors()
  async removeLeadTag(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Param('tag') tag: string,
  ): Promise<{ data: LeadResponse }> {
    return { data: toLeadResponse(await this.leads.removeTag(ws, id, tag)) };
  }
}
