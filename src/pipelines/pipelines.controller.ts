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
import { CreatePipelineDto, PipelineFiltersDto, UpdatePipelineDto } from './dto/pipeline.dto';
import { PipelineResponse } from './dto/pipeline.response';
import { PipelinesService, toPipelineResponse } from './pipelines.service';

const UPDATE_DESCRIPTION =
  'Setting `is_default: true` makes this the workspace default and clears the previous default in the same transaction.';

@ApiTags('Pipelines')
@Controller('v1/pipelines')
export class PipelinesController {
  constructor(private readonly pipelines: PipelinesService) {}

  @Get()
  @Scopes('read:pipelines')
  @ApiOperation({ summary: 'List pipelines', description: 'Each pipeline comes with its stages.' })
  @ApiPageResponse(PipelineResponse)
  @ApiErrorResponses(422)
  async listPipelines(
    @WorkspaceId() ws: number,
    @Query() q: PipelineFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<PipelineResponse>> {
    return paginated(await this.pipelines.list(ws, q), q, url, toPipelineResponse);
  }

  @Post()
  @Scopes('write:pipelines')
  @ApiOperation({
    summary: 'Create a pipeline',
    description:
      'Optionally with its stages (`stages`, in order). `is_default: true` clears the previous default. ' +
      'A name already used in the workspace (case-insensitive) is a 422.',
  })
  @ApiCreateResponses(PipelineResponse)
  async createPipeline(
    @WorkspaceId() ws: number,
    @Body() dto: CreatePipelineDto,
  ): Promise<{ data: PipelineResponse }> {
    return { data: toPipelineResponse(await this.pipelines.create(ws, dto)) };
  }

  @Get(':id')
  @Scopes('read:pipelines')
  @ApiOperation({ summary: 'Get a pipeline', description: 'With its stages, ordered by position.' })
  @ApiShowResponses(PipelineResponse)
  async getPipeline(@WorkspaceId() ws: number, @IdParam() id: number): Promise<{ data: PipelineResponse }> {
    return { data: toPipelineResponse(await this.pipelines.get(ws, id)) };
  }

  @Put(':id')
  @Scopes('write:pipelines')
  @ApiOperation({
    summary: 'Update a pipeline',
    description: `Partial update, like PATCH. ${UPDATE_DESCRIPTION}`,
  })
  @ApiUpdateResponses(PipelineResponse)
  async replacePipeline(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdatePipelineDto,
  ): Promise<{ data: PipelineResponse }> {
    return { data: toPipelineResponse(await this.pipelines.update(ws, id, dto)) };
  }

  @Patch(':id')
  @Scopes('write:pipelines')
  @ApiOperation({ summary: 'Update a pipeline (partial)', description: UPDATE_DESCRIPTION })
  @ApiUpdateResponses(PipelineResponse)
  async updatePipeline(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdatePipelineDto,
  ): Promise<{ data: PipelineResponse }> {
    return { data: toPipelineResponse(await this.pipelines.update(ws, id, dto)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('write:pipelines')
  @ApiOperation({
    summary: 'Delete a pipeline',
    description: 'Deletes its stages and clears `pipeline_id` and `pipeline_stage_id` on its leads.',
  })
  @ApiDeleteResponses()
  async deletePipeline(@WorkspaceId() ws: number, @IdParam() id: number): Promise<void> {
    await this.pipelines.remove(ws, id);
  }
}
