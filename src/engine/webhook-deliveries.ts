import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MetricsService } from '../metrics/metrics.service';
import type { PendingWebhook } from './action-executor';
import { ENGINE_CONFIG } from './engine.tokens';
import { type EngineConfig, retryDelayMs } from './engine-config';
import { RunLogService } from './run-log.service';
import { IntegrationGone, type OutboundDelivery, OutboundSenders } from './outbound-senders';
import { DeliveryFailure } from './webhook-sender';

interface ClaimedDelivery extends OutboundDelivery {
  automation_run_id: string | null;
  attempts: number;
  /** host[:port] of the URL, lower-cased: deliveries to one receiver share its concurrency limit. */
  destination: string;
}

const KIND_NAMES = { webhook: 'Webhook', subscription: 'Webhook', email: 'E-mail', slack: 'Slack message' };

/** host[:port] of a delivery's URL, in SQL (so candidates can be limited per destination). */
const DESTINATION = `lower(substring(d.url from '^[^:]+://(?:[^@/?#]*@)?([^/?#]*)'))`;

/**
 * Durable outbound webhooks (`webhook_deliveries`). A run stores its deliveries in its own transaction;
 * the worker leases due ones, pushing `next_attempt_at` one lease ahead (so no other worker takes them while
 * they are sent) and a worker that dies mid-send leaves them to be sent again once the lease ran out (at least
 * once: receivers dedupe on X-LeadHub-Delivery).
 *
 * Deliveries are sent concurrently and independently: each one settles on its own, and a free slot is filled at
 * once. In flight at a time in this instance: at most LEADHUB_WEBHOOK_CONCURRENCY in all, and at most
 * LEADHUB_WEBHOOK_HOST_CONCURRENCY per destination (host and port) and LEADHUB_WEBHOOK_WORKSPACE_CONCURRENCY
 * per workspace. A receiver that never answers holds only its own destination's slots (until the timeout),
 * so other receivers, and other workspaces, are not kept waiting behind it.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger = new Logger('WebhookDeliveries');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly perDestination = new Map<string, number>();
  private readonly perWorkspace = new Map<number, number>();
  /** Due deliveries were left waiting by the last tick because their destination or workspace was busy. */
  private blocked = false;
  /** Called when a delivery settled (a slot is free). */
  onSettled?: () => void;

  constructor(
    private readonly db: DataSource,
    private readonly runLog: RunLogService,
    private readonly senders: OutboundSenders,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Stores deliveries in the caller's transaction (`runId`: the run that asked for them, if any). */
  async enqueue(m: EntityManager, runId: string | null, hooks: PendingWebhook[]): Promise<void> {
    for (const h of hooks)
      await m.query(
        `INSERT INTO webhook_deliveries
           (id, automation_run_id, workspace_id, integration_id, kind, url, secret, event_type, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
        [
          h.id,
          runId,
          h.workspaceId,
          h.integrationId ?? null,
          h.kind ?? 'webhook',
          h.url,
          h.secret,
          h.eventType,
          JSON.stringify(h.payload),
        ],
      );
  }

  /** Starts sending due deliveries as far as the limits allow (without waiting for them); returns how many. */
  async tick(): Promise<number> {
    const free = this.config.deliveryConcurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const hostLimit = this.config.deliveryHostConcurrency;
    const workspaceLimit = this.config.deliveryWorkspaceConcurrency;
    // Candidates: the oldest due ones, but no more per destination and per workspace than could be sent, so one
    // destination's backlog does not crowd the others out of the list.
    const candidates: { id: string; workspace_id: number; destination: string }[] = await this.db.query(
      `SELECT id, workspace_id, destination FROM (
         SELECT d.id, d.workspace_id, ${DESTINATION} AS destination, d.next_attempt_at,
                row_number() OVER (PARTITION BY ${DESTINATION} ORDER BY d.next_attempt_at, d.id) AS nd,
                row_number() OVER (PARTITION BY d.workspace_id ORDER BY d.next_attempt_at, d.id) AS nw
           FROM webhook_deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()) c
        WHERE nd <= $1 AND nw <= $2
        ORDER BY next_attempt_at, id LIMIT $3`,
      [hostLimit, workspaceLimit, free * 4],
    );
    const chosen: string[] = [];
    const dest = new Map(this.perDestination);
    const ws = new Map(this.perWorkspace);
    for (const c of candidates) {
      if (chosen.length >= free) break;
      if ((dest.get(c.destination) ?? 0) >= hostLimit || (ws.get(c.workspace_id) ?? 0) >= workspaceLimit)
        continue;
      chosen.push(c.id);
      dest.set(c.destination, (dest.get(c.destination) ?? 0) + 1);
      ws.set(c.workspace_id, (ws.get(c.workspace_id) ?? 0) + 1);
    }
    this.blocked = candidates.length > chosen.length;
    if (!chosen.length) return 0;
    // The lease; a delivery another worker leased since the candidates were read no longer matches.
    const [claimed]: [ClaimedDelivery[], number] = await this.db.query(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
              updated_at = now()
        WHERE d.id = ANY($1::uuid[]) AND d.status = 'pending' AND d.next_attempt_at <= now()
      RETURNING d.id, d.automation_run_id, d.kind, d.integration_id, d.url, d.secret, d.event_type,
                d.payload, d.attempts, d.workspace_id, ${DESTINATION} AS destination`,
      [chosen, this.config.leaseMs],
    );
    for (const d of claimed) this.start(d);
    return claimed.length;
  }

  /** How long the loop may sleep: until the next delivery is due, at most `pollMs`; waits for a free slot. */
  async idleMs(pollMs: number): Promise<number> {
    if (this.blocked || this.inFlight.size >= this.config.deliveryConcurrency) return pollMs;
    const [row]: { ms: number | null }[] = await this.db.query(
      `SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
         FROM webhook_deliveries WHERE status = 'pending'`,
    );
    return Math.min(pollMs, row?.ms ?? Infinity);
  }

  /** Waits for the deliveries in flight to settle (at most `ms`), for a clean shutdown. */
  async drain(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => (timer = setTimeout(r, ms).unref())),
    ]);
    clearTimeout(timer);
  }

  private start(d: ClaimedDelivery): void {
    const count = <K>(map: Map<K, number>, key: K, by: number) => {
      const n = (map.get(key) ?? 0) + by;
      if (n > 0) map.set(key, n);
      else map.delete(key);
    };
    count(this.perDestination, d.destination, +1);
    count(this.perWorkspace, d.workspace_id, +1);
    const sending: Promise<void> = this.attempt(d)
      .catch((err: Error) => this.logger.error(`delivery ${d.id}: ${err.message}`))
      .finally(() => {
        count(this.perDestination, d.destination, -1);
        count(this.perWorkspace, d.workspace_id, -1);
        this.inFlight.delete(sending);
        this.onSettled?.();
      });
    this.inFlight.add(sending);
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    try {
      const status = await this.senders.send(d);
      await this.settle(d, `status = 'delivered', last_status_code = $3, last_error = NULL`, [status]);
      this.metrics?.webhookDeliveries.inc({ outcome: 'delivered' });
    } catch (err) {
      if (err instanceof IntegrationGone) {
        await this.settle(d, `status = 'cancelled', last_error = $3`, [err.message]);
        return;
      }
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
      if (settled && d.automation_run_id !== null)
        await this.runLog.webhookFailed(
          d.automation_run_id,
          `${KIND_NAMES[d.kind]} to ${d.url} failed after ${d.attempts} attempt(s): ${failure.message}.`,
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
