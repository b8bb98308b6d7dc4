import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import type { PendingWebhook } from './action-executor';
import { ENGINE_CONFIG } from './engine.tokens';
import { type EngineConfig, retryDelayMs } from './engine-config';
import { RunLogService } from './run-log.service';
import { IntegrationGone, OutboundSenders } from './outbound-senders';
import {
  type AttemptOutcome,
  type ClaimedDelivery,
  WebhookDeliveriesRepository,
} from './webhook-deliveries.repository';
import { DeliveryFailure } from './webhook-sender';

/** Deliveries a slot sends one after another before it goes back to the oldest due ones. */
const LANE_RUN = 16;

const KIND_NAMES = { webhook: 'Webhook', subscription: 'Webhook', email: 'E-mail', slack: 'Slack message' };

/**
 * Durable outbound webhooks (`webhook_deliveries`). A run stores its deliveries in its own transaction;
 * the worker leases due ones, pushing `next_attempt_at` one lease ahead (so no other worker takes them while
 * they are sent) and a worker that dies mid-send leaves them to be sent again once the lease ran out (at least
 * once: receivers dedupe on X-LeadHub-Delivery).
 *
 * Deliveries are sent concurrently and independently: each one settles on its own. A slot, once given the oldest
 * due delivery, goes on with its workspace's next ones to the same destination (see start), and a free slot is
 * filled at once. In flight at a time in this instance: at most LEADHUB_WEBHOOK_CONCURRENCY in all, and at most
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
  private stopping = false;
  /** Called when a slot is free. */
  onSettled?: () => void;

  constructor(
    private readonly queue: WebhookDeliveriesRepository,
    private readonly runLog: RunLogService,
    private readonly senders: OutboundSenders,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /** Stores deliveries in the current transaction (`runId`: the run that asked for them, if any). */
  enqueue(runId: string | null, hooks: PendingWebhook[]): Promise<void> {
    return this.queue.insert(runId, hooks);
  }

  /** Starts sending due deliveries as far as the limits allow (without waiting for them); returns how many. */
  async tick(): Promise<number> {
    const free = this.config.deliveryConcurrency - this.inFlight.size;
    if (free <= 0 || this.stopping) return 0;
    const hostLimit = this.config.deliveryHostConcurrency;
    const workspaceLimit = this.config.deliveryWorkspaceConcurrency;
    const full = <K>(map: Map<K, number>, limit: number) =>
      [...map].filter(([, n]) => n >= limit).map(([key]) => key);
    const candidates = await this.queue.dueCandidates(
      full(this.perDestination, hostLimit),
      full(this.perWorkspace, workspaceLimit),
      free * 4,
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
    const claimed = await this.queue.lease(chosen, this.config.leaseMs);
    for (const d of claimed) this.start(d);
    return claimed.length;
  }

  /** How long the loop may sleep: until the next delivery is due, at most `pollMs`; waits for a free slot. */
  async idleMs(pollMs: number): Promise<number> {
    if (this.blocked || this.inFlight.size >= this.config.deliveryConcurrency) return pollMs;
    const ms = await this.queue.msUntilNextDue();
    return Math.min(pollMs, ms ?? Infinity);
  }

  /** Waits for the deliveries in flight to settle (at most `ms`), for a clean shutdown; starts no more. */
  async drain(ms: number): Promise<void> {
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => (timer = setTimeout(r, ms).unref())),
    ]);
    clearTimeout(timer);
  }

  /**
   * A slot: sends `first`, then goes on with the next due delivery of the same workspace and destination (one
   * statement, no scan of the whole queue) until there is none, LANE_RUN were sent, or the worker stops. Giving
   * the slot back after LANE_RUN lets the oldest due deliveries elsewhere have it.
   */
  private start(first: ClaimedDelivery): void {
    const count = <K>(map: Map<K, number>, key: K, by: number) => {
      const n = (map.get(key) ?? 0) + by;
      if (n > 0) map.set(key, n);
      else map.delete(key);
    };
    count(this.perDestination, first.destination, +1);
    count(this.perWorkspace, first.workspace_id, +1);
    const lane = async () => {
      let d: ClaimedDelivery | undefined = first;
      for (let sent = 1; d; sent++) {
        await this.attempt(d).catch((err: Error) => this.logger.error(`delivery ${d!.id}: ${err.message}`));
        if (this.stopping || sent >= LANE_RUN) return;
        d = await this.queue
          .leaseNext(first.workspace_id, first.destination, this.config.leaseMs)
          .catch((err: Error) => void this.logger.error(`leasing a delivery: ${err.message}`));
      }
    };
    const sending: Promise<void> = lane().finally(() => {
      count(this.perDestination, first.destination, -1);
      count(this.perWorkspace, first.workspace_id, -1);
      this.inFlight.delete(sending);
      this.onSettled?.();
    });
    this.inFlight.add(sending);
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    try {
      const status = await this.senders.send(d);
      await this.settle(d, { status: 'delivered', statusCode: status });
      this.metrics?.webhookDeliveries.inc({ outcome: 'delivered' });
    } catch (err) {
      if (err instanceof IntegrationGone) {
        await this.settle(d, { status: 'cancelled', error: err.message });
        return;
      }
      const failure =
        err instanceof DeliveryFailure
          ? err
          : new DeliveryFailure(err instanceof Error ? err.message : String(err), false);
      const delay = failure.retryable ? retryDelayMs(this.config, d.attempts) : undefined;
      if (delay !== undefined) {
        await this.settle(d, {
          status: 'retry',
          statusCode: failure.statusCode,
          error: failure.message,
          delayMs: delay,
        });
        this.metrics?.webhookDeliveries.inc({ outcome: 'retry' });
        return;
      }
      this.metrics?.webhookDeliveries.inc({ outcome: 'failed' });
      const settled = await this.settle(d, {
        status: 'failed',
        statusCode: failure.statusCode,
        error: failure.message,
      });
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
  private async settle(d: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> {
    try {
      return await this.queue.settle(d, outcome);
    } catch (err) {
      this.logger.error(`could not record the outcome of delivery ${d.id}: ${(err as Error).message}`);
      return false;
    }
  }
}
