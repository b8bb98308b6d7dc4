import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { isoTimestamp } from '../common/time';
import { CreateStageDto, UpdateStageDto } from './dto/stage.dto';
import { StageResponse } from './dto/stage.response';
import { PipelinesRepository } from './pipelines.repository';
import type { Stage } from './stage.entity';
import { StagesRepository } from './stages.repository';
import { found } from '../common/crud/found';

/**
 * A pipeline's stages keep positions 1..n without gaps. Every change of order runs in a transaction that
 * first locks the pipeline row (SELECT … FOR UPDATE), so concurrent inserts, moves and deletes take turns;
 * the deferred unique (pipeline_id, position) constraint checks the result at commit.
 */
@Injectable()
export class StagesService {
  constructor(
    private readonly pipelines: PipelinesRepository,
    private readonly stages: StagesRepository,
  ) {}

  async list(workspaceId: number, pipelineId: number, q: PaginationQueryDto): Promise<Page<Stage>> {
    if (!(await this.pipelines.existsInWorkspace(workspaceId, pipelineId)))
      throw ApiException.notFound('pipeline');
    return this.stages.listOfPipeline(workspaceId, pipelineId, q);
  }

  async get(workspaceId: number, pipelineId: number, id: number): Promise<Stage> {
    return found(await this.stages.findInPipeline(workspaceId, pipelineId, id), 'stage');
  }

  @Transactional()
  async create(workspaceId: number, pipelineId: number, dto: CreateStageDto): Promise<Stage> {
    await this.lockPipeline(workspaceId, pipelineId);
    const count = await this.stages.countOfPipeline(pipelineId);
    const position = Math.min(dto.position ?? count + 1, count + 1);
    await this.stages.shift(pipelineId, +1, position, count);
    return this.stages.create({
      workspaceId,
      pipelineId,
      name: dto.name,
      probability: dto.probability ?? 0,
      position,
    });
  }

  @Transactional()
  async update(workspaceId: number, pipelineId: number, id: number, dto: UpdateStageDto): Promise<Stage> {
    await this.lockPipeline(workspaceId, pipelineId);
    const stage = await this.stages.findInPipeline(workspaceId, pipelineId, id);
    if (!stage) throw ApiException.notFound('stage');
    if (dto.position !== undefined) {
      const to = Math.min(dto.position, await this.stages.countOfPipeline(pipelineId));
      if (to < stage.position) await this.stages.shift(pipelineId, +1, to, stage.position - 1);
      if (to > stage.position) await this.stages.shift(pipelineId, -1, stage.position + 1, to);
      stage.position = to;
    }
    if (dto.name !== undefined) stage.name = dto.name;
    if (dto.probability !== undefined) stage.probability = dto.probability;
    return this.stages.save(stage);
  }

  /** Closes the gap; the foreign key clears the stage from its leads (pipeline_stage_id → NULL). */
  @Transactional()
  async remove(workspaceId: number, pipelineId: number, id: number): Promise<void> {
    await this.lockPipeline(workspaceId, pipelineId);
    const position = await this.stages.delete(workspaceId, pipelineId, id);
    if (position === undefined) throw ApiException.notFound('stage');
    await this.stages.shift(pipelineId, -1, position + 1, Number.MAX_SAFE_INTEGER);
  }

  /** Locks the pipeline of the caller's workspace for the transaction, or 404. */
  private async lockPipeline(workspaceId: number, pipelineId: number): Promise<void> {
    if (!(await this.pipelines.lockInWorkspace(workspaceId, pipelineId)))
      throw ApiException.notFound('pipeline');
  }
}

export function toStageResponse(s: Stage): StageResponse {
  return {
    id: s.id,
    pipeline_id: s.pipelineId,
    name: s.name,
    position: s.position,
    probability: s.probability,
    created_at: isoTimestamp(s.createdAt),
    updated_at: isoTimestamp(s.updatedAt),
  };
}
