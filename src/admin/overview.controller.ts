import { Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { AdminController, layoutOf, Session } from './admin.guard';
import type { AdminSession } from './session.service';
import { hostOf, sendPage } from './views';

type Row = Record<string, unknown>;

/** The overview: the numbers a person would rather look at than query. */
@AdminController('admin/overview')
export class AdminOverviewController {
  constructor(private readonly db: DataSource) {}

  @Get()
  async overview(@Session() s: AdminSession, @Res() reply: FastifyReply) {
    const ws = s.workspaceId;
    const since = `now() - interval '30 days'`;
    const [byStatus, bySource, runs, failed]: Row[][] = await Promise.all([
      this.db.query(
        `SELECT status AS label, count(*)::int AS n FROM leads
          WHERE workspace_id = $1 AND created_at > ${since} GROUP BY 1 ORDER BY 2 DESC, 1`,
        [ws],
      ),
      this.db.query(
        `SELECT coalesce(source, '(none)') AS label, count(*)::int AS n FROM leads
          WHERE workspace_id = $1 AND created_at > ${since} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`,
        [ws],
      ),
      this.db.query(
        `SELECT r.id, r.status, r.event_type, r.lead_id, r.error, r.created_at, a.name AS automation
           FROM automation_runs r LEFT JOIN automations a ON a.id = r.automation_id
          WHERE r.workspace_id = $1 ORDER BY r.id DESC LIMIT 10`,
        [ws],
      ),
      this.db.query(
        `SELECT d.id, d.url, d.event_type, d.attempts, d.last_status_code, d.last_error, d.updated_at
           FROM webhook_deliveries d
          WHERE d.workspace_id = $1 AND d.status = 'failed' ORDER BY d.updated_at DESC LIMIT 10`,
        [ws],
      ),
    ]);
    const total = byStatus.reduce((sum, r) => sum + (r.n as number), 0);
    return sendPage(reply, 'overview', {
      ...layoutOf(s),
      title: 'Overview',
      nav: 'overview',
      total,
      byStatus,
      bySource,
      runs,
      failed: failed.map((d) => ({ ...d, host: hostOf(d.url as string) })),
    });
  }
}
