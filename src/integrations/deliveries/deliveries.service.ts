import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { ApiException } from '../../common/errors/api.exception';
import type { Page } from '../../common/pagination/paginated-response';
import { isoTimestamp } from '../../common/time';
import { IntegrationsService } from '../integrations.service';
import { DeliveriesRepository, type DeliveryRow as Row } from './deliveries.repository';
import type { DeliveryFiltersDto, DeliveryResponse } from './dto/delivery.response';
import { found } from '../../common/crud/found';

/**
 * Deliveries as the API and the admin panel show them: an integration's outbound deliveries and inbound
 * receipts in one list, an automation run's deliveries, and the re-queueing of a failed one. Every query is
 * scoped by workspace (another workspace's delivery or integration is a 404).
 */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly integrations: IntegrationsService,
  ) {}

  /** An integration's deliveries and receipts, newest first. */
  async listForIntegration(
    workspaceId: number,
    integrationId: number,
    q: DeliveryFiltersDto,
  ): Promise<Page<Row>> {
    await this.integrations.get(workspaceId, integrationId);
    return this.deliveries.listForIntegration(workspaceId, integrationId, q.status, q);
  }

  /** The outbound deliveries of these runs, by run id (oldest first). */
  async forRuns(workspaceId: number, runIds: string[]): Promise<Map<string, DeliveryResponse[]>> {
    const out = new Map<string, DeliveryResponse[]>();
    if (!runIds.length) return out;
    const rows = await this.deliveries.forRuns(workspaceId, runIds);
    for (const r of rows) {
      const key = String(r.automation_run_id);
      out.set(key, [...(out.get(key) ?? []), this.toResponse(r)]);
    }
    return out;
  }

  async get(workspaceId: number, id: string): Promise<Row> {
    return found(await this.deliveries.findInWorkspace(workspaceId, id), 'delivery');
  }

  /**
   * Re-queues a failed (or cancelled) delivery or receipt: a new series of attempts starts at once. Anything
   * else is a 422 (a pending one is already queued; a delivered one is not sent twice). One transaction, so the
   * answer shows the re-queued state: the worker cannot claim the row before the commit.
   */
  @Transactional()
  async retry(workspaceId: number, id: string): Promise<Row> {
    const row = await this.get(workspaceId, id);
    if (!(await this.deliveries.requeueFailed(row, workspaceId, id)))
      throw ApiException.field(
        'status',
        `Only a failed or cancelled delivery can be retried; this one is ${row.status}.`,
      );
    return this.get(workspaceId, id);
  }

  toResponse = (r: Row): DeliveryResponse => ({
    id: r.id,
    direction: r.direction,
    kind: r.kind,
    status: r.status,
    event_type: r.event_type,
    destination: r.destination,
    external_id: r.external_id,
    attempts: r.attempts,
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    next_attempt_at: r.status === 'pending' ? isoTimestamp(r.next_attempt_at) : null,
    automation_run_id: r.automation_run_id === null ? null : Number(r.automation_run_id),
    lead_id: r.lead_id,
    is_duplicate: r.is_duplicate,
    created_at: isoTimestamp(r.created_at),
    updated_at: isoTimestamp(r.updated_at),
  });
}
