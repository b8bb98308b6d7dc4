import { Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Automation } from '../automations/automation.entity';
import { findInWorkspace } from '../common/crud/workspace-scope';
import type { Page } from '../common/pagination/paginated-response';
import type { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { isoTimestamp } from '../common/time';
import { MetricsService } from '../metrics/metrics.service';
import { AutomationRun, type AppliedAction, type CutReason, type RunStatus } from './automation-run.entity';
import type { AutomationRunResponse } from './dto/automation-run.response';

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

/** The run log of automations (`automation_runs`) and the run counters on the automation. */
@Injectable()
export class RunLogService {
  constructor(
    @InjectRepository(AutomationRun) private readonly runs: Repository<AutomationRun>,
    @InjectRepository(Automation) private readonly automations: Repository<Automation>,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Inserts a run in the worker's transaction; returns its id. */
  async record(m: EntityManager, r: NewRun): Promise<string> {
    const [row]: { id: string }[] = await m.query(
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
    this.metrics?.automationRuns.inc({ status: r.status });
    return String(row.id);
  }

  /** run_count += runs whose actions ran, last_run_at = now; in id order (a fixed lock order). */
  async countRuns(m: EntityManager, counts: Map<number, number>): Promise<void> {
    const ids = [...counts.keys()].sort((a, b) => a - b);
    if (!ids.length) return;
    await m.query(
      `UPDATE automations a SET run_count = a.run_count + c.n, last_run_at = now()
         FROM (SELECT * FROM unnest($1::int[], $2::int[]) AS x(id, n) ORDER BY id) c
        WHERE a.id = c.id`,
      [ids, ids.map((id) => counts.get(id))],
    );
  }

  /** A run whose webhook was refused or never delivered turns failed (unless it already is). */
  async webhookFailed(runId: string, error: string): Promise<void> {
    await this.runs.query(
      `UPDATE automation_runs SET status = 'failed', error = coalesce(error || ' ', '') || $2
        WHERE id = $1 AND status = 'succeeded'`,
      [runId, error],
    );
  }

  /** The runs of an automation of the workspace, newest first; another workspace's automation → 404. */
  async list(workspaceId: number, automationId: number, q: PaginationQueryDto): Promise<Page<AutomationRun>> {
    await findInWorkspace(this.automations, workspaceId, automationId, 'automation');
    const [items, total] = await this.runs.findAndCount({
      where: { automationId, workspaceId },
      order: { id: 'DESC' },
      take: q.per_page,
      skip: (q.page - 1) * q.per_page,
    });
    return { items, total };
  }

  toResponse = (r: AutomationRun): Omit<AutomationRunResponse, 'deliveries'> => ({
    id: Number(r.id),
    automation_id: r.automationId,
    event_id: Number(r.eventId),
    event_type: r.eventType,
    lead_id: r.leadId,
    depth: r.depth,
    status: r.status,
    cut_reason: r.cutReason,
    actions_applied: r.actionsApplied,
    error: r.error,
    created_at: isoTimestamp(r.createdAt),
  });
}
