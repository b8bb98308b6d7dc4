import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SecretBox } from '../common/crypto/secret-box';
import { MetricsService } from '../metrics/metrics.service';
import type { PendingWebhook } from './action-executor';
import { ENGINE_CONFIG } from './engine.tokens';
import { type EngineConfig, retryDelayMs } from './engine-config';
import { RunLogService } from './run-log.service';
import { DeliveryFailure, sendWebhook } from './webhook-sender';

interface ClaimedDelivery {
  id: string;
  automation_run_id: string;
  url: string;
  secret: string | null;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Durable outbound webhooks (`webhook_deliveries`). A run stores its deliveries in its own transaction;
 * the worker claims due ones with SKIP LOCKED, pushing `next_attempt_at` one lease ahead in the same
 * statement, so no other worker takes them while they are sent, and a worker that dies mid-send leaves them
 * to be sent again once the lease ran out (at least once: receivers dedupe on X-LeadHub-Delivery).
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger = new Logger('WebhookDeliveries');

  constructor(
    private readonly db: DataSource,
    private readonly box: SecretBox,
    private readonly runLog: RunLogService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async enqueue(m: EntityManager, runId: string, hooks: PendingWebhook[]): Promise<void> {
    for (const h of hooks)
      await m.query(
        `INSERT INTO webhook_deliveries (id, automation_run_id, url, secret, event_type, payload)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
        [h.id, runId, h.url, h.secret, h.eventType, JSON.stringify(h.payload)],
      );
  }

  /** Sends the due deliveries (a batch, concurrently); returns how many were claimed. */
  async tick(): Promise<number> {
    const [claimed]: [ClaimedDelivery[], number] = await this.db.query(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
              updated_at = now()
         FROM (SELECT id FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE d.id = due.id
      RETURNING d.id, d.automation_run_id, d.url, d.secret, d.event_type, d.payload, d.attempts`,
      [this.config.deliveryBatch, this.config.leaseMs],
    );
    await Promise.all(claimed.map((d) => this.attempt(d)));
    return claimed.length;
  }

  /** Milliseconds until the next pending delivery is due (undefined: none pending). */
  async nextDueInMs(): Promise<number | undefined> {
    const [row]: { ms: number | null }[] = await this.db.query(
      `SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
         FROM webhook_deliveries WHERE status = 'pending'`,
    );
    return row?.ms ?? undefined;
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    try {
      const status = await sendWebhook({
        deliveryId: d.id,
        eventType: d.event_type,
        url: d.url,
        body: JSON.stringify(d.payload),
        secret: d.secret === null ? null : this.box.decrypt(d.secret),
        timeoutMs: this.config.timeoutMs,
        allowPrivate: this.config.allowPrivateUrls,
      });
      await this.settle(d, `status = 'delivered', last_status_code = $3, last_error = NULL`, [status]);
      this.metrics?.webhookDeliveries.inc({ outcome: 'delivered' });
    } catch (err) {
      const failure =
        err instanceof DeliveryFailure
          ? err
          : new DeliveryFailure(err instanceof Error ? err.message : String(err), false);
      const delay = failure.retryable ? retryDelayMs(this.config, d.attempts) : undefined;
      if (delay !== undefined) {
        await this.settle(
          d,
          `next_attempt_at = now() + make_interval(secs => $5::double precision / 1000),
           last_status_code = $3, last_error = $4`,
          [failure.statusCode, failure.message, delay],
        );
        this.metrics?.webhookDeliveries.inc({ outcome: 'retry' });
        return;
      }
      this.metrics?.webhookDeliveries.inc({ outcome: 'failed' });
      const settled = await this.settle(d, `status = 'failed', last_status_code = $3, last_error = $4`, [
        failure.statusCode,
        failure.message,
      ]);
      if (settled)
        await this.runLog.webhookFailed(
          d.automation_run_id,
          `Webhook to ${d.url} failed after ${d.attempts} attempt(s): ${failure.message}.`,
        );
    }
  }

  /**
   * Records an attempt's outcome, only if the delivery is still this attempt's (a lease that ran out may have
   * let another worker claim it again). Returns whether it did.
   */
  private async settle(d: ClaimedDelivery, set: string, params: unknown[]): Promise<boolean> {
    try {
      const [, count]: [unknown, number] = await this.db.query(
        `UPDATE webhook_deliveries SET ${set}, updated_at = now()
          WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
        [d.id, d.attempts, ...params],
      );
      return count > 0;
    } catch (err) {
      this.logger.error(`could not record the outcome of delivery ${d.id}: ${(err as Error).message}`);
      return false;
    }
  }
}
