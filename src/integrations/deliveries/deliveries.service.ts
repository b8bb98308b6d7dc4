import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiException } from '../../common/errors/api.exception';
import type { Page } from '../../common/pagination/paginated-response';
import { isoTimestamp } from '../../common/time';
import { findInWorkspace } from '../../common/crud/workspace-scope';
import { Integration } from '../integration.entity';
import type { DeliveryFiltersDto, DeliveryResponse } from './dto/delivery.response';

interface Row {
  id: string;
  direction: 'outbound' | 'inbound';
  kind: string;
  status: string;
  event_type: string | null;
  destination: string | null;
  external_id: string | null;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  automation_run_id: string | null;
  lead_id: number | null;
  is_duplicate: boolean | null;
  created_at: Date;
  updated_at: Date;
  integration_id: number | null;
}

const OUTBOUND = `
  SELECT d.id, 'outbound' AS direction, d.kind, d.status, d.event_type, d.url AS destination,
         NULL::varchar AS external_id, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at,
         d.automation_run_id,
         coalesce(r.lead_id, (d.payload #>> '{data,lead,id}')::int) AS lead_id,
         NULL::boolean AS is_duplicate, d.created_at, d.updated_at, d.workspace_id, d.integration_id
    FROM webhook_deliveries d LEFT JOIN automation_runs r ON r.id = d.automation_run_id`;

const INBOUND = `
  SELECT i.id, 'inbound' AS direction, i.kind, i.status, NULL::varchar AS event_type, NULL::varchar AS destination,
         i.external_id, i.attempts, i.last_status_code, i.last_error, i.next_attempt_at,
         NULL::bigint AS automation_run_id, i.lead_id, i.is_duplicate, i.created_at, i.updated_at,
         i.workspace_id, i.integration_id
    FROM integration_receipts i`;

/**
 * Deliveries as the API and the admin panel show them: an integration's outbound deliveries and inbound
 * receipts in one list, an automation run's deliveries, and the re-queueing of a failed one. Every query is
 * scoped by workspace (another workspace's delivery or integration is a 404).
 */
@Injectable()
export class DeliveriesService {
  constructor(private readonly db: DataSource) {}

  /** An integration's deliveries and receipts, newest first. */
  async listForIntegration(
    workspaceId: number,
    integrationId: number,
    q: DeliveryFiltersDto,
  ): Promise<Page<Row>> {
    await findInWorkspace(this.db.getRepository(Integration), workspaceId, integrationId, 'integration');
    const where = `WHERE workspace_id = $1 AND integration_id = $2 AND ($3::varchar IS NULL OR status = $3)`;
    const params = [workspaceId, integrationId, q.status ?? null];
    const all = `(${OUTBOUND} UNION ALL ${INBOUND}) x ${where}`;
    const [items, [{ total }]]: [Row[], { total: number }[]] = await Promise.all([
      this.db.query(`SELECT * FROM ${all} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5`, [
        ...params,
        q.per_page,
        (q.page - 1) * q.per_page,
      ]),
      this.db.query(`SELECT count(*)::int AS total FROM ${all}`, params),
    ]);
    return { items, total };
  }

  /** The outbound deliveries of these runs, by run id (oldest first). */
  async forRuns(workspaceId: number, runIds: string[]): Promise<Map<string, DeliveryResponse[]>> {
    const out = new Map<string, DeliveryResponse[]>();
    if (!runIds.length) return out;
    const rows: Row[] = await this.db.query(
      `SELECT * FROM (${OUTBOUND}) x WHERE workspace_id = $1 AND automation_run_id = ANY($2::bigint[])
        ORDER BY created_at, id`,
      [workspaceId, runIds],
    );
    for (const r of rows) {
      const key = String(r.automation_run_id);
      out.set(key, [...(out.get(key) ?? []), this.toResponse(r)]);
    }
    return out;
  }

  async get(workspaceId: number, id: string): Promise<Row> {
    const [row]: Row[] = await this.db.query(
      `SELECT * FROM (${OUTBOUND} UNION ALL ${INBOUND}) x WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    if (!row) throw ApiException.notFound('delivery');
    return row;
  }

  /**
   * Re-queues a failed (or cancelled) delivery or receipt: a new series of attempts starts at once. Anything
   * else is a 422 (a pending one is already queued; a delivered one is not sent twice).
   */
  async retry(workspaceId: number, id: string): Promise<Row> {
    const row = await this.get(workspaceId, id);
    const table = row.direction === 'outbound' ? 'webhook_deliveries' : 'integration_receipts';
    const [, count]: [unknown, number] = await this.db.query(
      `UPDATE ${table} SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND workspace_id = $2 AND status IN ('failed', 'cancelled')`,
      [id, workspaceId],
    );
    if (!count)
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
