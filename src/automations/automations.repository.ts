import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Page } from '../common/pagination/paginated-response';
import { sortedPage } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import { Automation } from './automation.entity';
import type { AutomationFiltersDto } from './dto/automation.dto';

const SORT_COLUMNS = {
  name: 'lower(a.name)',
  created_at: 'a.created_at',
  updated_at: 'a.updated_at',
} as const;

/** The tables an automation's definition may name records of. */
const REFERENCE_TABLES = { user: 'users', stage: 'pipeline_stages', pipeline: 'pipelines' } as const;
export type ReferenceKind = keyof typeof REFERENCE_TABLES;

/** `automations`, and the lookups that check the records a definition names. */
@Injectable()
export class AutomationsRepository extends TxRepository {
  private get automations() {
    return this.tx.getRepository(Automation);
  }

  list(workspaceId: number, q: AutomationFiltersDto): Promise<Page<Automation>> {
    const qb = this.automations
      .createQueryBuilder('a')
      .where('a.workspace_id = :workspaceId', { workspaceId });
    if (q.is_active !== undefined) qb.andWhere('a.is_active = :active', { active: q.is_active });
    if (q.trigger_type) qb.andWhere('a.trigger_type = :trigger', { trigger: q.trigger_type });
    return sortedPage(qb, 'a', q, SORT_COLUMNS);
  }

  async findInWorkspace(workspaceId: number, id: number): Promise<Automation | null> {
    return this.automations.findOneBy({ id, workspaceId });
  }

  /** The active automations of these workspaces, in id order (the engine's candidates for a batch). */
  findActiveIn(workspaceIds: number[]): Promise<Automation[]> {
    return this.automations.find({
      where: { workspaceId: In(workspaceIds), isActive: true },
      order: { id: 'ASC' },
    });
  }

  create(values: Partial<Automation>): Promise<Automation> {
    return this.automations.save(this.automations.create(values));
  }

  save(automation: Automation): Promise<Automation> {
    return this.automations.save(automation);
  }

  /** Deletes the automation; returns whether the workspace had it. */
  async delete(workspaceId: number, id: number): Promise<boolean> {
    const { affected } = await this.automations.delete({ id, workspaceId });
    return !!affected;
  }

  /** Which of these ids are users / stages / pipelines of the workspace. */
  async existingIds(kind: ReferenceKind, workspaceId: number, ids: number[]): Promise<Set<number>> {
    const rows: { id: number }[] = await this.tx.query(
      `SELECT id FROM ${REFERENCE_TABLES[kind]} WHERE workspace_id = $1 AND id = ANY($2::int[])`,
      [workspaceId, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The type of each of these integrations of the workspace (absent: not one of its integrations). */
  async integrationTypes(workspaceId: number, ids: number[]): Promise<Map<number, string>> {
    const rows: { id: number; type: string }[] = await this.tx.query(
      `SELECT id, type FROM integrations WHERE workspace_id = $1 AND id = ANY($2::int[])`,
      [workspaceId, ids],
    );
    return new Map(rows.map((r) => [r.id, r.type]));
  }
}
