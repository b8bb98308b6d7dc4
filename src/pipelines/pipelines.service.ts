import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreatePipelineDto, PipelineFiltersDto, UpdatePipelineDto } from './dto/pipeline.dto';
import { PipelineResponse } from './dto/pipeline.response';
import type { Pipeline } from './pipeline.entity';
import { PipelinesRepository } from './pipelines.repository';
import type { Stage } from './stage.entity';
import { StagesRepository } from './stages.repository';
import { toStageResponse } from './stages.service';

export type PipelineWithStages = Pipeline & { stages: Stage[] };

@Injectable()
export class PipelinesService {
  constructor(
    private readonly pipelines: PipelinesRepository,
    private readonly stages: StagesRepository,
  ) {}

  async list(workspaceId: number, q: PipelineFiltersDto): Promise<Page<PipelineWithStages>> {
    const { items, total } = await this.pipelines.list(workspaceId, q);
    return { items: await this.withStages(items), total };
  }

  async get(workspaceId: number, id: number): Promise<PipelineWithStages> {
    const pipeline = await this.pipelines.findInWorkspace(workspaceId, id);
    if (!pipeline) throw ApiException.notFound('pipeline');
    return (await this.withStages([pipeline]))[0];
  }

  /** Creates the pipeline and its inline stages (positions 1..n in the given order) in one transaction. */
  @Transactional()
  async create(workspaceId: number, dto: CreatePipelineDto): Promise<PipelineWithStages> {
    if (dto.is_default) {
      await this.pipelines.lockDefaultSwitch(workspaceId);
      await this.pipelines.clearDefault(workspaceId);
    }
    const pipeline = await this.pipelines.create({
      workspaceId,
      name: dto.name,
      description: dto.description ?? null,
      isDefault: dto.is_default ?? false,
    });
    const stages = dto.stages?.length
      ? await this.stages.createMany(
          dto.stages.map((s, i) => ({
            workspaceId,
            pipelineId: pipeline.id,
            name: s.name,
            probability: s.probability ?? 0,
            position: i + 1,
          })),
        )
      : [];
    return { ...pipeline, stages };
  }

  async update(workspaceId: number, id: number, dto: UpdatePipelineDto): Promise<PipelineWithStages> {
    return (await this.withStages([await this.change(workspaceId, id, dto)]))[0];
  }

  async remove(workspaceId: number, id: number): Promise<void> {
    if (!(await this.pipelines.delete(workspaceId, id))) throw ApiException.notFound('pipeline');
  }

  @Transactional()
  private async change(workspaceId: number, id: number, dto: UpdatePipelineDto): Promise<Pipeline> {
    // Lock before reading, so is_default is read after any concurrent switch has committed.
    if (dto.is_default === true) await this.pipelines.lockDefaultSwitch(workspaceId);
    const p = await this.pipelines.findInWorkspace(workspaceId, id);
    if (!p) throw ApiException.notFound('pipeline');
    if (dto.is_default === true && !p.isDefault) await this.pipelines.clearDefault(workspaceId);
    if (dto.name !== undefined) p.name = dto.name;
    if (dto.description !== undefined) p.description = dto.description;
    if (dto.is_default !== undefined) p.isDefault = dto.is_default;
    return this.pipelines.save(p);
  }

  /** The stages of a page of pipelines: one query for the whole page. */
  private async withStages(pipelines: Pipeline[]): Promise<PipelineWithStages[]> {
    if (!pipelines.length) return [];
    const stages = await this.stages.ofPipelines(pipelines.map((p) => p.id));
    const byPipeline = new Map<number, Stage[]>(pipelines.map((p) => [p.id, []]));
    for (const s of stages) byPipeline.get(s.pipelineId)?.push(s);
    return pipelines.map((p) => ({ ...p, stages: byPipeline.get(p.id) ?? [] }));
  }
}

export function toPipelineResponse(p: PipelineWithStages): PipelineResponse {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    is_default: p.isDefault,
    stages: p.stages.map(toStageResponse),
    created_at: isoTimestamp(p.createdAt),
    updated_at: isoTimestamp(p.updatedAt),
  };
}
