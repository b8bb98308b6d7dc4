import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Page } from '../common/pagination/paginated-response';
import { type PageQuery, pageWindow } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import { Stage } from './stage.entity';

/** `pipeline_stages`: positions 1..n per pipeline (the deferred unique constraint checks them at commit). */
@Injectable()
export class StagesRepository extends TxRepository {
  private get stages() {
    return this.tx.getRepository(Stage);
  }

  async listOfPipeline(workspaceId: number, pipelineId: number, q: PageQuery): Promise<Page<Stage>> {
    const [items, total] = await this.stages.findAndCount({
      where: { pipelineId, workspaceId },
      order: { position: 'ASC' },
      ...pageWindow(q),
    });
    return { items, total };
  }

  /** The stages of these pipelines, by pipeline then position (one query for a page of pipelines). */
  ofPipelines(pipelineIds: number[]): Promise<Stage[]> {
    return this.stages.find({
      where: { pipelineId: In(pipelineIds) },
      order: { pipelineId: 'ASC', position: 'ASC' },
    });
  }

  findInPipeline(workspaceId: number, pipelineId: number, id: number): Promise<Stage | null> {
    return this.stages.findOneBy({ id, pipelineId, workspaceId });
  }

  async countOfPipeline(pipelineId: number): Promise<number> {
    const [{ n }] = await this.tx.query(
      'SELECT count(*)::int AS n FROM pipeline_stages WHERE pipeline_id = $1',
      [pipelineId],
    );
    return n;
  }

  /** Moves the stages at positions from..to (inclusive) by `by`. */
  async shift(pipelineId: number, by: 1 | -1, from: number, to: number): Promise<void> {
    if (from > to) return;
    await this.tx.query(
      `UPDATE pipeline_stages SET position = position + $2, updated_at = now()
        WHERE pipeline_id = $1 AND position BETWEEN $3 AND $4`,
      [pipelineId, by, from, Math.min(to, 2_147_483_647)],
    );
  }

  create(values: Partial<Stage>): Promise<Stage> {
    return this.stages.save(this.stages.create(values));
  }

  createMany(values: Partial<Stage>[]): Promise<Stage[]> {
    return this.stages.save(values.map((v) => this.stages.create(v)));
  }

  save(stage: Stage): Promise<Stage> {
    return this.stages.save(stage);
  }

  /** Deletes the stage; returns the position it had (undefined when the pipeline has no such stage). */
  async delete(workspaceId: number, pipelineId: number, id: number): Promise<number | undefined> {
    const { raw } = await this.tx
      .createQueryBuilder()
      .delete()
      .from(Stage)
      .where({ id, pipelineId, workspaceId })
      .returning(['position'])
      .execute();
    return (raw as { position: number }[])[0]?.position;
  }
}
