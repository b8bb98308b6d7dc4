import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdParam } from '../common/crud/id.pipe';
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
import { AutomationsService } from './automations.service';
import { AutomationFiltersDto, CreateAutomationDto, UpdateAutomationDto } from './dto/automation.dto';
import { AutomationResponse } from './dto/automation.response';

const UPDATE_NOTE =
  'A `trigger` or `actions`, when sent, replace the stored ones as a whole; a webhook secret sent back ' +
  'exactly as its masked value keeps the stored secret. `run_count` and `last_run_at` are read-only.';

@ApiTags('Automations')
@Controller('v1/automations')
export class AutomationsController {
  constructor(private readonly automations: AutomationsService) {}

  @Get()
  @Scopes('read:automations')
  @ApiOperation({ summary: 'List automations' })
  @ApiPageResponse(AutomationResponse)
  @ApiErrorResponses(422)
  async listAutomations(
    @WorkspaceId() ws: number,
    @Query() q: AutomationFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<AutomationResponse>> {
    return paginated(await this.automations.list(ws, q), q, url, this.automations.toResponse);
  }

  @Post()
  @Scopes('write:automations')
  @ApiOperation({
    summary: 'Create an automation',
    description:
      'The definition is validated strictly; every problem is reported by its dotted path ' +
      '(`trigger.conditions.1.operator`, `actions.0.tag`).',
  })
  @ApiCreateResponses(AutomationResponse)
  async createAutomation(
    @WorkspaceId() ws: number,
    @Body() dto: CreateAutomationDto,
  ): Promise<{ data: AutomationResponse }> {
    return { data: this.automations.toResponse(await this.automations.create(ws, dto)) };
  }

  @Get(':id')
  @Scopes('read:automations')
  @ApiOperation({ summary: 'Get an automation' })
  @ApiShowResponses(AutomationResponse)
  async getAutomation(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
  ): Promise<{ data: AutomationResponse }> {
    return { data: this.automations.toResponse(await this.automations.get(ws, id)) };
  }

  @Put(':id')
  @Scopes('write:automations')
  @ApiOperation({
    summary: 'Update an automation',
    description: `Partial update, like PATCH. ${UPDATE_NOTE}`,
  })
  @ApiUpdateResponses(AutomationResponse)
  async replaceAutomation(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateAutomationDto,
  ): Promise<{ data: AutomationResponse }> {
    return { data: this.automations.toResponse(await this.automations.update(ws, id, dto)) };
  }

  @Patch(':id')
  @Scopes('write:automations')
  @ApiOperation({ summary: 'Update an automation (partial)', description: UPDATE_NOTE })
  @ApiUpdateResponses(AutomationResponse)
  async updateAutomation(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateAutomationDto,
  ): Promise<{ data: AutomationResponse }> {
    return { data: this.automations.toResponse(await this.automations.update(ws, id, dto)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('delete:automations')
  @ApiOperation({ summary: 'Delete an automation' })
  @ApiDeleteResponses()
  async deleteAutomation(@WorkspaceId() ws: number, @IdParam() id: number): Promise<void> {
    await this.automations.remove(ws, id);
  }
}
