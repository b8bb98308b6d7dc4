import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdParam } from '../common/crud/id.pipe';
import {
  ApiBodyErrors,
  ApiDataResponse,
  ApiDeleteResponses,
  ApiPageResponse,
  ApiRecordErrors,
  ApiShowResponses,
  ApiUpdateResponses,
} from '../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../common/pagination/paginated-response';
import { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { CreateStageDto, UpdateStageDto } from './dto/stage.dto';
import { StageResponse } from './dto/stage.response';
import { StagesService, toStageResponse } from './stages.service';

const MOVE_DESCRIPTION =
  'Changing `position` moves the stage; the stages in between shift by one and positions stay 1..n without gaps.';

@ApiTags('Pipeline stages')
@Controller('v1/pipelines/:pipeline_id/stages')
export class StagesController {
  constructor(private readonly stages: StagesService) {}

  @Get()
  @Scopes('read:pipelines')
  @ApiOperation({ summary: "List a pipeline's stages", description: 'Ordered by position.' })
  @ApiPageResponse(StageResponse)
  @ApiRecordErrors()
  async listPipelineStages(
    @WorkspaceId() ws: number,
    @IdParam('pipeline_id') pipelineId: number,
    @Query() q: PaginationQueryDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<StageResponse>> {
    return paginated(await this.stages.list(ws, pipelineId, q), q, url, toStageResponse);
  }

  @Post()
  @Scopes('write:pipelines')
  @ApiOperation({
    summary: 'Create a stage',
    description: 'Goes last, or at `position` (the stages from there on move down one).',
  })
  @ApiDataResponse(StageResponse, 201)
  @ApiRecordErrors()
  @ApiBodyErrors()
  async createPipelineStage(
    @WorkspaceId() ws: number,
    @IdParam('pipeline_id') pipelineId: number,
    @Body() dto: CreateStageDto,
  ): Promise<{ data: StageResponse }> {
    return { data: toStageResponse(await this.stages.create(ws, pipelineId, dto)) };
  }

  @Get(':stage_id')
  @Scopes('read:pipelines')
  @ApiOperation({ summary: 'Get a stage' })
  @ApiShowResponses(StageResponse)
  async getPipelineStage(
    @WorkspaceId() ws: number,
    @IdParam('pipeline_id') pipelineId: number,
    @IdParam('stage_id') id: number,
  ): Promise<{ data: StageResponse }> {
    return { data: toStageResponse(await this.stages.get(ws, pipelineId, id)) };
  }

  @Put(':stage_id')
  @Scopes('write:pipelines')
  @ApiOperation({ summary: 'Update a stage', description: `Partial update, like PATCH. ${MOVE_DESCRIPTION}` })
  @ApiUpdateResponses(StageResponse)
  async replacePipelineStage(
    @WorkspaceId() ws: number,
    @IdParam('pipeline_id') pipelineId: number,
    @IdParam('stage_id') id: number,
    @Body() dto: UpdateStageDto,
  ): Promise<{ data: StageResponse }> {
    return { data: toStageResponse(await this.stages.update(ws, pipelineId, id, dto)) };
  }

  @Patch(':stage_id')
  @Scopes('write:pipelines')
  @ApiOperation({ summary: 'Update a stage (partial)', description: MOVE_DESCRIPTION })
  @ApiUpdateResponses(StageResponse)
  async updatePipelineStage(
    @WorkspaceId() ws: number,
    @IdParam('pipeline_id') pipelineId: number,
    @IdParam('stage_id') id: number,
    @Body() dto: UpdateStageDto,
  ): Promise<{ data: StageResponse }> {
    return { data: toStageResponse(await this.stages.update(ws, pipelineId, id, dto)) };
  }

  @Delete(':stage_id')
  @HttpCode(204)
  @Scopes('write:pipelines')
  @ApiOperation({
    summary: 'Delete a stage',
    description: 'The later stages move up one; leads in this stage keep their pipeline, with no stage.',
  })
  @ApiDeleteResponses()
  async deletePipelineStage(
    @WorkspaceId() ws: number,
    @IdParam('pipeline_id') pipelineId: number,
    @IdParam('stage_id') id: number,
  ): Promise<void> {
    await this.stages.remove(ws, pipelineId, id);
  }
}
