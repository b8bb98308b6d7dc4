import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { CreateIntegrationDto, IntegrationFiltersDto, UpdateIntegrationDto } from './dto/integration.dto';
import { IntegrationResponse, IntegrationTypeList } from './dto/integration.response';
import { IntegrationsService } from './integrations.service';

const CONFIG_NOTE =
  'A `config`, when sent, replaces the stored one as a whole; a secret sent back exactly as its masked value ' +
  'keeps the stored secret. `type` cannot be changed (it may be sent with its current value).';

@ApiTags('Integrations')
@Controller('v1/integrations')
export class IntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  // Declared before `:id` so that `/types` is never taken for an id.
  @Get('types')
  @Scopes('read:integrations')
  @ApiOperation({
    summary: 'List integration types',
    description:
      'Every type with its config fields and which of them are secret. The whole catalog, not paginated.',
  })
  @ApiOkResponse({ type: IntegrationTypeList, description: 'The catalog.' })
  listIntegrationTypes(): IntegrationTypeList {
    return { data: this.integrations.types() };
  }

  @Get()
  @Scopes('read:integrations')
  @ApiOperation({ summary: 'List integrations' })
  @ApiPageResponse(IntegrationResponse)
  @ApiErrorResponses(422)
  async listIntegrations(
    @WorkspaceId() ws: number,
    @Query() q: IntegrationFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<IntegrationResponse>> {
    return paginated(await this.integrations.list(ws, q), q, url, (i) =>
      this.integrations.toResponse(i, url.origin),
    );
  }

  @Post()
  @Scopes('write:integrations')
  @ApiOperation({
    summary: 'Create an integration',
    description: 'The config is validated against the type; secret values are stored encrypted.',
  })
  @ApiCreateResponses(IntegrationResponse)
  async createIntegration(
    @WorkspaceId() ws: number,
    @Body() dto: CreateIntegrationDto,
    @RequestUrl() url: URL,
  ): Promise<{ data: IntegrationResponse }> {
    return { data: this.integrations.toResponse(await this.integrations.create(ws, dto), url.origin) };
  }

  @Get(':id')
  @Scopes('read:integrations')
  @ApiOperation({ summary: 'Get an integration' })
  @ApiShowResponses(IntegrationResponse)
  async getIntegration(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @RequestUrl() url: URL,
  ): Promise<{ data: IntegrationResponse }> {
    return { data: this.integrations.toResponse(await this.integrations.get(ws, id), url.origin) };
  }

  @Put(':id')
  @Scopes('write:integrations')
  @ApiOperation({
    summary: 'Update an integration',
    description: `Partial update, like PATCH. ${CONFIG_NOTE}`,
  })
  @ApiUpdateResponses(IntegrationResponse)
  async replaceIntegration(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateIntegrationDto,
    @RequestUrl() url: URL,
  ): Promise<{ data: IntegrationResponse }> {
    return { data: this.integrations.toResponse(await this.integrations.update(ws, id, dto), url.origin) };
  }

  @Patch(':id')
  @Scopes('write:integrations')
  @ApiOperation({ summary: 'Update an integration (partial)', description: CONFIG_NOTE })
  @ApiUpdateResponses(IntegrationResponse)
  async updateIntegration(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateIntegrationDto,
    @RequestUrl() url: URL,
  ): Promise<{ data: IntegrationResponse }> {
    return { data: this.integrations.toResponse(await this.integrations.update(ws, id, dto), url.origin) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('write:integrations')
  @ApiOperation({ summary: 'Delete an integration' })
  @ApiDeleteResponses()
  async deleteIntegration(@WorkspaceId() ws: number, @Param('id', IdPipe) id: number): Promise<void> {
    await this.integrations.remove(ws, id);
  }
}
