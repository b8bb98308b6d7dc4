import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/paginated-response';
import { type PageQuery, pageWindow } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import { AutomationRun, type AppliedAction, type CutReason, type RunStatus } from './automation-run.entity';

export interface NewRun {
  workspaceId: number;
  automationId: number;
  eventId: string;
  eventType: string;
  leadId: number | null;
  depth: number;
  status: RunStatus;
  cutReason?: CutReason;
  actionsApplied: AppliedAction[];
  error: string | null;
}

/** The run log (`automation_runs`) and the run counters it keeps on `automations`. */
@Injectable()
export class AutomationRunsRepository extends TxRepository {
  /** Inserts a run; returns its id (bigint as a string). */
  async insert(r: NewRun): Promise<string> {
    const [row]: { id: string }[] = await this.tx.query(
      `INSERT INTO automation_runs
         (workspace_id, automation_id, event_id, event_type, lead_id, depth, status, actions_applied, error,
          cut_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10) RETURNING id`,
      [
        r.workspaceId,
        r.automationId,
        r.eventId,
        r.eventType,
        r.leadId,
        r.depth,
        r.status,
        JSON.stringify(r.actionsApplied),
        r.error,
        r.cutReason ?? null,
      ],
    );
    return String(row.id);
  }

  /** run_count += runs whose actions ran, last_run_at = now; in id order (a fixed lock order). */
  async countRuns(counts: Map<number, number>): Promise<void> {
    const ids = [...counts.keys()].sort((a, b) => a - b);
    if (!ids.length) return;
    await this.tx.query(
      `UPDATE automations a SET run_count = a.run_count + c.n, last_run_at = now()
         FROM (SELECT * FROM unnest($1::int[], $2::int[]) AS x(id, n) ORDER BY id) c
        WHERE a.id = c.id`,
      [ids, ids.map((id) => counts.get(id))],
    );
  }

  /** A succeeded run turns failed, the error appended (a run already failed keeps its error). */
  async markFailed(runId: string, error: string): Promise<void> {
    await this.tx.query(
      `UPDATE automation_runs SET status = 'failed', error = coalesce(error || ' ', '') || $2
        WHERE id = $1 AND status = 'succeeded'`,
      [runId, error],
    );
  }

  /** How many runs the workspace's automations made. */
  async countInWorkspace(workspaceId: number): Promise<number> {
    const [{ n }]: { n: number }[] = await this.tx.query(
      'SELECT count(*)::int AS n FROM automation_runs WHERE workspace_id = $1',
      [workspaceId],
    );
    return n;
  }

  /** One page of an automation's runs, newest first. */
  async listForAutomation(
    workspaceId: number,
    automationId: number,
    q: PageQuery,
  ): Promise<Page<AutomationRun>> {
    const [items, total] = await this.tx.getRepository(AutomationRun).findAndCount({
      where: { automationId, workspaceId },
      order: { id: 'DESC' },
      ...pageWindow(q),
    });
    return { items, total };
  }
}
