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
  /** Inserts the runs in one statement, in order; returns their ids in the same order. */
  async insertMany(runs: NewRun[]): Promise<string[]> {
    if (!runs.length) return [];
    const col = <T>(f: (r: NewRun) => T) => runs.map(f);
    const rows: { id: string }[] = await this.tx.query(
      `INSERT INTO automation_runs
         (workspace_id, automation_id, event_id, event_type, lead_id, depth, status, actions_applied, error,
          cut_reason)
       SELECT w, a, e, t, l, d, s, aa::jsonb, er, c
         FROM unnest($1::int[], $2::int[], $3::bigint[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[],
                     $9::text[], $10::text[]) WITH ORDINALITY AS r(w, a, e, t, l, d, s, aa, er, c, i)
        ORDER BY i
       RETURNING id`,
      [
        col((r) => r.workspaceId),
        col((r) => r.automationId),
        col((r) => r.eventId),
        col((r) => r.eventType),
        col((r) => r.leadId),
        col((r) => r.depth),
        col((r) => r.status),
        col((r) => JSON.stringify(r.actionsApplied)),
        col((r) => r.error),
        col((r) => r.cutReason ?? null),
      ],
    );
    // Ids are drawn in the order of the rows (ORDER BY i): ascending ids are the runs in order.
    return rows
      .map((r) => BigInt(r.id))
      .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
      .map(String);
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
