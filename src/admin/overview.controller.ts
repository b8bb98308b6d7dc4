import { Get, Res } from '@nestjs/common';
import { AdminRepository } from './admin.repository';
import type { FastifyReply } from 'fastify';
import { AdminController, layoutOf, Session } from './admin.guard';
import type { AdminSession } from './session.service';
import { hostOf, sendPage } from './views';

/** The overview: the numbers a person would rather look at than query. */
@AdminController('admin/overview')
export class AdminOverviewController {
  constructor(private readonly admin: AdminRepository) {}

  @Get()
  async overview(@Session() s: AdminSession, @Res() reply: FastifyReply) {
    const { byStatus, bySource, runs, failed } = await this.admin.overview(s.workspaceId);
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
