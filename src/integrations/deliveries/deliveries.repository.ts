import { Injectable } from '@nestjs/common';
import { type PageQuery, pageWindow } from '../../common/pagination/page-window';
import type { Page } from '../../common/pagination/paginated-response';
import { TxRepository } from '../../database/tx-repository';

/** An outbound delivery or an inbound receipt, as one list shows both. */
export interface DeliveryRow {
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

/** Deliveries (`webhook_deliveries`) and receipts (`integration_receipts`) read as one list. */
@Injectable()
export class DeliveriesRepository extends TxRepository {
  /** An integration's deliveries and receipts (of this status, if given), newest first. */
  async listForIntegration(
    workspaceId: number,
    integrationId: number,
    status: string | undefined,
    q: PageQuery,
  ): Promise<Page<DeliveryRow>> {
    const where = `WHERE workspace_id = $1 AND integration_id = $2 AND ($3::varchar IS NULL OR status = $3)`;
    const params = [workspaceId, integrationId, status ?? null];
    const all = `(${OUTBOUND} UNION ALL ${INBOUND}) x ${where}`;
    const { take, skip } = pageWindow(q);
    const [items, [{ total }]]: [DeliveryRow[], { total: number }[]] = await Promise.all([
      this.tx.query(`SELECT * FROM ${all} ORDER BY created_at DESC, id DESC LIMIT $4 OFFSET $5`, [
        ...params,
        take,
        skip,
      ]),
      this.tx.query(`SELECT count(*)::int AS total FROM ${all}`, params),
    ]);
    return { items, total };
  }

  /** The outbound deliveries of these runs (oldest first). */
  forRuns(workspaceId: number, runIds: string[]): Promise<DeliveryRow[]> {
    return this.tx.query(
      `SELECT * FROM (${OUTBOUND}) x WHERE workspace_id = $1 AND automation_run_id = ANY($2::bigint[])
        ORDER BY created_at, id`,
      [workspaceId, runIds],
    );
  }

  async findInWorkspace(workspaceId: number, id: string): Promise<DeliveryRow | undefined> {
    const [row]: DeliveryRow[] = await this.tx.query(
      `SELECT * FROM (${OUTBOUND} UNION ALL ${INBOUND}) x WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id],
    );
    return row;
  }

  /** Starts a new series of attempts of a failed or cancelled one; returns whether it was one. */
  async requeueFailed(
    row: Pick<DeliveryRow, 'direction'>,
    workspaceId: number,
    id: string,
  ): Promise<boolean> {
    const table = row.direction === 'outbound' ? 'webhook_deliveries' : 'integration_receipts';
    const [, count]: [unknown, number] = await this.tx.query(
      `UPDATE ${table} SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND workspace_id = $2 AND status IN ('failed', 'cancelled')`,
      [id, workspaceId],
    );
    return count > 0;
  }
}
