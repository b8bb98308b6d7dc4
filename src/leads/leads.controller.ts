import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdPipe } from '../common/crud/id.pipe';
import {
  ApiCreateResponses,
  ApiDeleteResponses,
  ApiErrorResponses,
  ApiPageResponse,
  ApiShowResponses,
  ApiUpdateResponses,
} from '../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../common/pagination/paginated-response';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { CreateLeadDto, UpdateLeadDto } from './dto/lead.dto';
import { LeadFiltersDto } from './dto/lead-filters.dto';
import { LeadResponse } from './dto/lead.response';
import { toLeadResponse } from './lead-record';
import { LeadsService } from './leads.service';

const REFERENCES =
  'pipeline_id, pipeline_stage_id and assigned_user_id must exist in the workspace (422 naming the field); ' +
  'the stage must belong to the pipeline, and a stage given alone brings its pipeline. `tags` replaces the ' +
  "lead's tags; unknown names are created.";
const PARTIAL =
  'Partial update (PUT and PATCH alike): only the fields sent change; nullable fields are cleared with null ' +
  '(first_name cannot be). Moving to another pipeline clears a stage of the old one. ' +
  REFERENCES;

@ApiTags('Leads')
@Controller('v1/leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  @Scopes('read:leads')
  @ApiOperation({
    summary: 'List leads',
    description:
      'Filters combine with AND. Sorted by `sort` (default created_at) in `direction` (default desc), ties ' +
      'broken by id, so pages never repeat or skip a lead. Unknown parameters or invalid values → 422 naming them.',
  })
  @ApiPageResponse(LeadResponse)
  @ApiErrorResponses(422)
  async listLeads(
    @WorkspaceId() ws: number,
    @Query() q: LeadFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<LeadResponse>> {
    return paginated(await this.leads.list(ws, q), q, url, toLeadResponse);
  }

  @Post()
  @Scopes('write:leads')
  @ApiOperation({ summary: 'Create a lead', description: `first_name is required. ${REFERENCES}` })
  @ApiCreateResponses(LeadResponse)
  async createLead(@WorkspaceId() ws: number, @Body() dto: CreateLeadDto): Promise<{ data: LeadResponse }> {
    return { data: toLeadResponse(await this.leads.create(ws, dto)) };
  }

  @Get(':id')
  @Scopes('read:leads')
  @ApiOperation({ summary: 'Get a lead' })
  @ApiShowResponses(LeadResponse)
  async getLead(@WorkspaceId() ws: number, @Param('id', IdPipe) id: number): Promise<{ data: LeadResponse }> {
    return { data: toLeadResponse(await this.leads.get(ws, id)) };
  }

  @Put(':id')
  @Scopes('write:leads')
  @ApiOperation({ summary: 'Update a lead', description: PARTIAL })
  @ApiUpdateResponses(LeadResponse)
  async replaceLead(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateLeadDto,
  ): Promise<{ data: LeadResponse }> {
    return { data: toLeadResponse(await this.leads.update(ws, id, dto)) };
  }

  @Patch(':id')
  @Scopes('write:leads')
  @ApiOperation({ summary: 'Update a lead (partial)', description: PARTIAL })
  @ApiUpdateResponses(LeadResponse)
  async updateLead(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateLeadDto,
  ): Promise<{ data: LeadResponse }> {
    return { data: toLeadResponse(await this.leads.update(ws, id, dto)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('delete:leads')
  @ApiOperation({ summary: 'Delete a lead', description: 'Also removes its tag assignments.' })
  @ApiDeleteResponses()
  async deleteLead(@WorkspaceId() ws: number, @Param('id', IdPipe) id: number): Promise<void> {
    await this.leads.remove(ws, id);
  }
}
