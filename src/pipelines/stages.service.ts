import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { retryConflicts } from '../common/crud/retry-conflicts';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { isoTimestamp } from '../common/time';
import { CreateStageDto, UpdateStageDto } from './dto/stage.dto';
import { StageResponse } from './dto/stage.response';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

/**
 * A pipeline's stages keep positions 1..n without gaps. Every change of order runs in a transaction that
 * first locks the pipeline row (SELECT … FOR UPDATE), so concurrent inserts, moves and deletes take turns;
 * the deferred unique (pipeline_id, position) constraint checks the result at commit.
 */
@Injectable()
export class StagesService {
  constructor(
    @InjectRepository(Pipeline) private readonly pipelines: Repository<Pipeline>,
    @InjectRepository(Stage) private readonly stages: Repository<Stage>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(workspaceId: number, pipelineId: number, q: PaginationQueryDto): Promise<Page<Stage>> {
    if (!(await this.pipelines.existsBy({ id: pipelineId, workspaceId })))
      throw ApiException.notFound('pipeline');
    const [items, total] = await this.stages.findAndCount({
      where: { pipelineId, workspaceId },
      order: { position: 'ASC' },
      skip: (q.page - 1) * q.per_page,
      take: q.per_page,
    });
    return { items, total };
  }

  async get(workspaceId: number, pipelineId: number, id: number): Promise<Stage> {
    const stage = await this.stages.findOneBy({ id, pipelineId, workspaceId });
    if (!stage) throw ApiException.notFound('stage');
    return stage;
  }

  async create(workspaceId: number, pipelineId: number, dto: CreateStageDto): Promise<Stage> {
    return retryConflicts(() =>
      this.dataSource.transaction(async (m) => {
        await lockPipeline(m, workspaceId, pipelineId);
        const count = await stageCount(m, pipelineId);
        const position = Math.min(dto.position ?? count + 1, count + 1);
        await shift(m, pipelineId, +1, position, count);
        return m.save(
          m.create(Stage, {
            workspaceId,
            pipelineId,
            name: dto.name,
            probability: dto.probability ?? 0,
            position,
          }),
        );
      }),
    );
  }

  async update(workspaceId: number, pipelineId: number, id: number, dto: UpdateStageDto): Promise<Stage> {
    return retryConflicts(() =>
      this.dataSource.transaction(async (m) => {
        await lockPipeline(m, workspaceId, pipelineId);
        const stage = await m.findOneBy(Stage, { id, pipelineId, workspaceId });
        if (!stage) throw ApiException.notFound('stage');
        if (dto.position !== undefined) {
          const to = Math.min(dto.position, await stageCount(m, pipelineId));
          if (to < stage.position) await shift(m, pipelineId, +1, to, stage.position - 1);
          if (to > stage.position) await shift(m, pipelineId, -1, stage.position + 1, to);
          stage.position = to;
        }
        if (dto.name !== undefined) stage.name = dto.name;
        if (dto.probability !== undefined) stage.probability = dto.probability;
        return m.save(stage);
      }),
    );
  }

  /** Closes the gap; the foreign key clears the stage from its leads (pipeline_stage_id → NULL). */
  async remove(workspaceId: number, pipelineId: number, id: number): Promise<void> {
    await retryConflicts(() =>
      this.dataSource.transaction(async (m) => {
        await lockPipeline(m, workspaceId, pipelineId);
        const { raw } = await m
          .createQueryBuilder()
          .delete()
          .from(Stage)
          .where({ id, pipelineId, workspaceId })
          .returning(['position'])
          .execute();
        const deleted = (raw as { position: number }[])[0];
        if (!deleted) throw ApiException.notFound('stage');
        await shift(m, pipelineId, -1, deleted.position + 1, Number.MAX_SAFE_INTEGER);
      }),
    );
  }
}

/** Locks the pipeline of the caller's workspace for the transaction, or 404. */
async function lockPipeline(m: EntityManager, workspaceId: number, pipelineId: number): Promise<void> {
  const rows = await m.query('SELECT id FROM pipelines WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [
    pipelineId,
    workspaceId,
  ]);
  if (!rows.length) throw ApiException.notFound('pipeline');
}

async function stageCount(m: EntityManager, pipelineId: number): Promise<number> {
  const [{ n }] = await m.query('SELECT count(*)::int AS n FROM pipeline_stages WHERE pipeline_id = $1', [
    pipelineId,
  ]);
  return n;
}

/** Moves the stages at positions from..to (inclusive) by `by`. */
async function shift(m: EntityManager, pipelineId: number, by: 1 | -1, from: number, to: number) {
  if (from > to) return;
  await m.query(
    `UPDATE pipeline_stages SET position = position + $2, updated_at = now()
      WHERE pipeline_id = $1 AND position BETWEEN $3 AND $4`,
    [pipelineId, by, from, Math.min(to, 2_147_483_647)],
  );
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
