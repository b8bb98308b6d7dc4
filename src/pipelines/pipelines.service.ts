import { Injectable } from '@nestjs/common';
import { whereUpdated } from '../common/crud/sync-window';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { uniquely } from '../common/crud/database-errors';
import { sqlDirection } from '../common/crud/sorting';
import { likePattern } from '../common/crud/like-pattern';
import { retryConflicts } from '../common/crud/retry-conflicts';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreatePipelineDto, PipelineFiltersDto, UpdatePipelineDto } from './dto/pipeline.dto';
import { PipelineResponse } from './dto/pipeline.response';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';
import { toStageResponse } from './stages.service';
import { ADVISORY_LOCK } from '../common/database/advisory-locks';

const UNIQUE = { UQ_pipelines_workspace_name: 'name', UQ_pipelines_workspace_default: 'is_default' };
const SORT_COLUMNS = {
  name: 'lower(p.name)',
  created_at: 'p.created_at',
  updated_at: 'p.updated_at',
} as const;

export type PipelineWithStages = Pipeline & { stages: Stage[] };

@Injectable()
export class PipelinesService {
  constructor(
    @InjectRepository(Pipeline) private readonly pipelines: Repository<Pipeline>,
    @InjectRepository(Stage) private readonly stages: Repository<Stage>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(workspaceId: number, q: PipelineFiltersDto): Promise<Page<PipelineWithStages>> {
    const qb = this.pipelines.createQueryBuilder('p').where('p.workspace_id = :workspaceId', { workspaceId });
    if (q.search) qb.andWhere('p.name ILIKE :search', { search: likePattern(q.search) });
    whereUpdated(qb, 'p', q);
    const dir = sqlDirection(q.direction);
    const [items, total] = await qb
      .orderBy(SORT_COLUMNS[q.sort], dir)
      .addOrderBy('p.id', dir)
      .offset((q.page - 1) * q.per_page)
      .limit(q.per_page)
      .getManyAndCount();
    return { items: await this.withStages(items), total };
  }

  async get(workspaceId: number, id: number): Promise<PipelineWithStages> {
    const pipeline = await this.pipelines.findOneBy({ id, workspaceId });
    if (!pipeline) throw ApiException.notFound('pipeline');
    return (await this.withStages([pipeline]))[0];
  }

  /** Creates the pipeline and its inline stages (positions 1..n in the given order) in one transaction. */
  async create(workspaceId: number, dto: CreatePipelineDto): Promise<PipelineWithStages> {
    return uniquely(
      () =>
        retryConflicts(() =>
          this.dataSource.transaction(async (m) => {
            if (dto.is_default) {
              await lockDefault(m, workspaceId);
              await clearDefault(m, workspaceId);
            }
            const pipeline = await m.save(
              m.create(Pipeline, {
                workspaceId,
                name: dto.name,
                description: dto.description ?? null,
                isDefault: dto.is_default ?? false,
              }),
            );
            const stages = dto.stages?.length
              ? await m.save(
                  dto.stages.map((s, i) =>
                    m.create(Stage, {
                      workspaceId,
                      pipelineId: pipeline.id,
                      name: s.name,
                      probability: s.probability ?? 0,
                      position: i + 1,
                    }),
                  ),
                )
              : [];
            return { ...pipeline, stages };
          }),
        ),
      UNIQUE,
    );
  }

  async update(workspaceId: number, id: number, dto: UpdatePipelineDto): Promise<PipelineWithStages> {
    const pipeline = await uniquely(
      () =>
        retryConflicts(() =>
          this.dataSource.transaction(async (m) => {
            // Lock before reading, so is_default is read after any concurrent switch has committed.
            if (dto.is_default === true) await lockDefault(m, workspaceId);
            const p = await m.findOneBy(Pipeline, { id, workspaceId });
            if (!p) throw ApiException.notFound('pipeline');
            if (dto.is_default === true && !p.isDefault) await clearDefault(m, workspaceId);
            if (dto.name !== undefined) p.name = dto.name;
            if (dto.description !== undefined) p.description = dto.description;
            if (dto.is_default !== undefined) p.isDefault = dto.is_default;
            return m.save(p);
          }),
        ),
      UNIQUE,
    );
    return (await this.withStages([pipeline]))[0];
  }

  /**
   * One statement, so one transaction: the foreign keys delete the pipeline's stages (ON DELETE CASCADE)
   * and clear pipeline_id and pipeline_stage_id on its leads (ON DELETE SET NULL).
   */
  async remove(workspaceId: number, id: number): Promise<void> {
    const { affected } = await this.pipelines.delete({ id, workspaceId });
    if (!affected) throw ApiException.notFound('pipeline');
  }

  /** The stages of a page of pipelines: one query for the whole page. */
  private async withStages(pipelines: Pipeline[]): Promise<PipelineWithStages[]> {
    if (!pipelines.length) return [];
    const stages = await this.stages.find({
      where: { pipelineId: In(pipelines.map((p) => p.id)) },
      order: { pipelineId: 'ASC', position: 'ASC' },
    });
    const byPipeline = new Map<number, Stage[]>(pipelines.map((p) => [p.id, []]));
    for (const s of stages) byPipeline.get(s.pipelineId)?.push(s);
    return pipelines.map((p) => ({ ...p, stages: byPipeline.get(p.id) ?? [] }));
  }
}

/**
 * Serialises default switches of a workspace until the caller's transaction ends; the partial unique
 * index UQ_pipelines_workspace_default stays the last word.
 */
async function lockDefault(m: EntityManager, workspaceId: number): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
    ADVISORY_LOCK.defaultPipeline,
    workspaceId,
  ]);
}

/** Clears the workspace's current default; the caller's transaction then sets the new one. */
async function clearDefault(m: EntityManager, workspaceId: number): Promise<void> {
  await m.query(
    'UPDATE pipelines SET is_default = false, updated_at = now() WHERE workspace_id = $1 AND is_default',
    [workspaceId],
  );
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
