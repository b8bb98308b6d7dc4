import { Injectable } from '@nestjs/common';
import { fieldOnConstraint, taken } from '../common/crud/database-errors';
import { likePattern } from '../common/crud/workspace-scope';
import type { Page } from '../common/pagination/paginated-response';
import { sortedPage } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import type { PipelineFiltersDto } from './dto/pipeline.dto';
import { Pipeline } from './pipeline.entity';

const UNIQUE = {
  UQ_pipelines_workspace_name: taken('name'),
  UQ_pipelines_workspace_default: taken('is_default'),
};
const SORT_COLUMNS = {
  name: 'lower(p.name)',
  created_at: 'p.created_at',
  updated_at: 'p.updated_at',
} as const;
/** Advisory-lock class for "the default pipeline of workspace N": concurrent switches take turns. */
const DEFAULT_LOCK = 7142101;

/** `pipelines` (their stages: StagesRepository). */
@Injectable()
export class PipelinesRepository extends TxRepository {
  private get pipelines() {
    return this.tx.getRepository(Pipeline);
  }

  list(workspaceId: number, q: PipelineFiltersDto): Promise<Page<Pipeline>> {
    const qb = this.pipelines.createQueryBuilder('p').where('p.workspace_id = :workspaceId', { workspaceId });
    if (q.search) qb.andWhere('p.name ILIKE :search', { search: likePattern(q.search) });
    return sortedPage(qb, 'p', q, SORT_COLUMNS);
  }

  findInWorkspace(workspaceId: number, id: number): Promise<Pipeline | null> {
    return this.pipelines.findOneBy({ id, workspaceId });
  }

  existsInWorkspace(workspaceId: number, id: number): Promise<boolean> {
    return this.pipelines.existsBy({ id, workspaceId });
  }

  /** Locks the pipeline for the transaction (its stages' order changes take turns); false when not found. */
  async lockInWorkspace(workspaceId: number, id: number): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      'SELECT id FROM pipelines WHERE id = $1 AND workspace_id = $2 FOR UPDATE',
      [id, workspaceId],
    );
    return rows.length > 0;
  }

  /**
   * Serialises default switches of a workspace until the transaction ends; the partial unique index
   * UQ_pipelines_workspace_default stays the last word.
   */
  async lockDefaultSwitch(workspaceId: number): Promise<void> {
    await this.tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [DEFAULT_LOCK, workspaceId]);
  }

  /** Clears the workspace's current default (the transaction then sets the new one). */
  async clearDefault(workspaceId: number): Promise<void> {
    await this.tx.query(
      'UPDATE pipelines SET is_default = false, updated_at = now() WHERE workspace_id = $1 AND is_default',
      [workspaceId],
    );
  }

  /** Inserts the pipeline; a taken name (or a second default) is a 422 on its field. */
  create(values: Partial<Pipeline>): Promise<Pipeline> {
    return fieldOnConstraint(() => this.pipelines.save(this.pipelines.create(values)), UNIQUE);
  }

  /** Saves the pipeline; a taken name (or a second default) is a 422 on its field. */
  save(pipeline: Pipeline): Promise<Pipeline> {
    return fieldOnConstraint(() => this.pipelines.save(pipeline), UNIQUE);
  }

  /**
   * One statement: the foreign keys delete the pipeline's stages (ON DELETE CASCADE) and clear pipeline_id and
   * pipeline_stage_id on its leads (ON DELETE SET NULL). Returns whether the workspace had it.
   */
  async delete(workspaceId: number, id: number): Promise<boolean> {
    const { affected } = await this.pipelines.delete({ id, workspaceId });
    return !!affected;
  }
}
