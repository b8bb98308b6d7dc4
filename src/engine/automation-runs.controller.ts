import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdPipe } from '../common/crud/id.pipe';
import { ApiPageResponse, ApiRecordErrors } from '../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../common/pagination/paginated-response';
import { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { AutomationRunResponse } from './dto/automation-run.response';
import { DeliveriesService } from '../integrations/deliveries/deliveries.service';
import { RunLogService } from './run-log.service';

@ApiTags('Automations')
@Controller('v1/automations')
export class AutomationRunsController {
  constructor(
    private readonly runLog: RunLogService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get(':id/runs')
  @Scopes('read:automations')
  @ApiOperation({
    summary: 'List the runs of an automation',
    description:
      'Newest first. One entry per event the automation was considered for: whether its actions ran ' +
      '(`succeeded`, `failed`), or not (`skipped`: conditions not met; `cut`: a bound of the causal chain was ' +
      'reached, `cut_reason` says which: `depth_limit` or `chain_budget`). Events are processed ' +
      'asynchronously, usually within a second of the change. `deliveries` lists the outbound deliveries the ' +
      'run queued (webhooks, e-mails, Slack messages) with their attempts so far.',
  })
  @ApiPageResponse(AutomationRunResponse)
  @ApiRecordErrors()
  async listAutomationRuns(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Query() q: PaginationQueryDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<AutomationRunResponse>> {
    const page = await this.runLog.list(ws, id, q);
    const deliveries = await this.deliveries.forRuns(
      ws,
      page.items.map((r) => r.id),
    );
    return paginated(page, q, url, (r) => ({
      ...this.runLog.toResponse(r),
      deliveries: deliveries.get(String(r.id)) ?? [],
    }));
  }
}
