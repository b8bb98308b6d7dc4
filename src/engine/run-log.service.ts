import { Injectable, Optional } from '@nestjs/common';
import { AutomationsService } from '../automations/automations.service';
import type { Page } from '../common/pagination/paginated-response';
import type { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { isoTimestamp } from '../common/time';
import { MetricsService } from '../metrics/metrics.service';
import type { AutomationRun } from './automation-run.entity';
import { AutomationRunsRepository, type NewRun } from './automation-runs.repository';
import type { AutomationRunResponse } from './dto/automation-run.response';

/** The run log of automations (`automation_runs`) and the run counters on the automation. */
@Injectable()
export class RunLogService {
  constructor(
    private readonly runs: AutomationRunsRepository,
    private readonly automations: AutomationsService,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Records runs in one statement, in order, in the current transaction; returns their ids in that order. */
  async recordAll(runs: NewRun[]): Promise<string[]> {
    const ids = await this.runs.insertMany(runs);
    for (const r of runs) this.metrics?.automationRuns.inc({ status: r.status });
    return ids;
  }

  /** run_count += runs whose actions ran, last_run_at = now. */
  countRuns(counts: Map<number, number>): Promise<void> {
    return this.runs.countRuns(counts);
  }

  /** A run whose webhook was refused or never delivered turns failed (unless it already is). */
  webhookFailed(runId: string, error: string): Promise<void> {
    return this.runs.markFailed(runId, error);
  }

  /** The runs of an automation of the workspace, newest first; another workspace's automation → 404. */
  async list(workspaceId: number, automationId: number, q: PaginationQueryDto): Promise<Page<AutomationRun>> {
    await this.automations.get(workspaceId, automationId);
    return this.runs.listForAutomation(workspaceId, automationId, q);
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
