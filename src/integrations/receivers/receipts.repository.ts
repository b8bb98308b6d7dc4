import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TxRepository } from '../../database/tx-repository';
import type { ReceiptKind } from '../integration-receipt.entity';

/** A queued outside lead id the Facebook worker fetches (a leased `integration_receipts` row). */
export interface ReceiptJob {
  id: string;
  integration_id: number;
  workspace_id: number;
  external_id: string;
  attempts: number;
}

/** `integration_receipts`: what the receivers took in, once per outside lead id. */
@Injectable()
export class ReceiptsRepository extends TxRepository {
  /** Queues an outside id to be fetched later; returns false when it was already received. */
  async queue(
    r: { workspaceId: number; integrationId: number },
    kind: ReceiptKind,
    externalId: string,
    payload: object,
  ): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `INSERT INTO integration_receipts (id, workspace_id, integration_id, kind, external_id, payload)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (integration_id, external_id) DO NOTHING
       RETURNING id`,
      [randomUUID(), r.workspaceId, r.integrationId, kind, externalId, JSON.stringify(payload)],
    );
    return rows.length > 0;
  }

  /**
   * Records a lead received with its data (one attempt); returns its id, or undefined when the outside id was
   * received before (a concurrent repeat waits for the first on the unique key).
   */
  async insertReceived(
    r: { workspaceId: number; integrationId: number },
    kind: ReceiptKind,
    externalId: string,
    payload: object,
  ): Promise<string | undefined> {
    const id = randomUUID();
    const [inserted]: { id: string }[] = await this.tx.query(
      `INSERT INTO integration_receipts (id, workspace_id, integration_id, kind, external_id, payload, attempts)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, 1) ON CONFLICT (integration_id, external_id) DO NOTHING
       RETURNING id`,
      [id, r.workspaceId, r.integrationId, kind, externalId, JSON.stringify(payload)],
    );
    return inserted ? id : undefined;
  }

  /** The lead the first receipt of an outside id made (null: none yet, or none). */
  async leadOf(integrationId: number, externalId: string): Promise<number | null> {
    const [first]: { lead_id: number | null }[] = await this.tx.query(
      `SELECT lead_id FROM integration_receipts WHERE integration_id = $1 AND external_id = $2`,
      [integrationId, externalId],
    );
    return first?.lead_id ?? null;
  }

  async markProcessed(id: string, leadId: number, isDuplicate: boolean): Promise<void> {
    await this.tx.query(
      `UPDATE integration_receipts
          SET status = 'processed', lead_id = $2, is_duplicate = $3, last_error = NULL, updated_at = now()
        WHERE id = $1`,
      [id, leadId, isDuplicate],
    );
  }

  /** Leases up to 10 due Facebook jobs for `leaseMs` (one attempt more each). */
  async leaseFacebookJobs(leaseMs: number): Promise<ReceiptJob[]> {
    const [jobs]: [ReceiptJob[], number] = await this.tx.query(
      `UPDATE integration_receipts r
          SET attempts = r.attempts + 1, updated_at = now(),
              next_attempt_at = now() + make_interval(secs => $1::double precision / 1000)
        WHERE r.id IN (SELECT id FROM integration_receipts
                        WHERE status = 'pending' AND kind = 'facebook_lead' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, id LIMIT 10 FOR UPDATE SKIP LOCKED)
      RETURNING r.id, r.integration_id, r.workspace_id, r.external_id, r.attempts`,
      [leaseMs],
    );
    return jobs;
  }

  /** Whether the job is still this attempt's (its lease may have run out and another worker taken it); locks it. */
  async lockAttempt(job: ReceiptJob): Promise<boolean> {
    const [mine]: unknown[] = await this.tx.query(
      `SELECT 1 FROM integration_receipts WHERE id = $1 AND attempts = $2 AND status = 'pending' FOR UPDATE`,
      [job.id, job.attempts],
    );
    return !!mine;
  }

  async setStatusCode(id: string, status: number): Promise<void> {
    await this.tx.query(`UPDATE integration_receipts SET last_status_code = $2 WHERE id = $1`, [id, status]);
  }

  /** A failed attempt: again after `delayMs`, or failed for good (null), if still this attempt's. */
  async recordFailure(
    job: ReceiptJob,
    delayMs: number | null,
    statusCode: number | null,
    error: string,
  ): Promise<void> {
    await this.tx.query(
      `UPDATE integration_receipts
          SET status = CASE WHEN $3::double precision IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + make_interval(secs => coalesce($3::double precision, 0) / 1000),
              last_status_code = $4, last_error = $5, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [job.id, job.attempts, delayMs, statusCode, error],
    );
  }
}
