import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { AutomationsRepository } from '../automations/automations.repository';
import type { TypeOrmTransactions } from '../database/transactions';
import { EventsService } from '../events/events.service';
import { AutomationRunner, RunBatch } from './automation-runner';
import { ClaimedEventsRepository } from './claimed-events.repository';
import { ENGINE_CONFIG } from './engine.tokens';
import type { EngineConfig } from './engine-config';
import { RunLogService } from './run-log.service';
import { SubscriptionDeliveries } from './subscriptions';
import { UnwatchedEventsRepository } from './unwatched-events.repository';
import { WebhookDeliveries } from './webhook-deliveries';
import { WorkLoop } from './work-loop';

/**
 * The in-process worker of the automation engine (LEADHUB_WORKER=0 turns it off). Two loops:
 * - events (eventConcurrency loops, each lead's events still in order: see claimEvents): marks the events nobody
 *   listens to processed, then claims a batch of unprocessed outbox events (FOR UPDATE SKIP LOCKED, shared fairly among the
 *   workspaces that have some: see claimEvents) and, in that same
 *   transaction, queues the deliveries of webhook subscriptions, runs the matching automations (the batch's leads
 *   read in one statement first), writes their run log, deliveries and chain budgets (one statement each for the
 *   batch) and marks the events processed. A worker that dies mid-batch rolls back: the events are claimed again, by any
 *   instance, and nothing of the half-done batch remains. Two instances never hold the same event.
 * - deliveries: starts sending due webhooks, concurrently within limits (see WebhookDeliveries); a delivery
 *   that settles wakes it to fill the slot.
 * Both wake at once when this instance commits events or deliveries and poll otherwise.
 */
@Injectable()
export class EngineWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AutomationEngine');
  /** Several at once, each its own transaction: a batch spends most of its time waiting on the database. */
  private readonly eventLoops: WorkLoop[];
  private readonly deliveryLoop: WorkLoop;
  private unsubscribe?: () => void;

  constructor(
    private readonly txHost: TransactionHost<TypeOrmTransactions>,
    private readonly outbox: ClaimedEventsRepository,
    private readonly automations: AutomationsRepository,
    private readonly events: EventsService,
    private readonly runner: AutomationRunner,
    private readonly runLog: RunLogService,
    private readonly deliveries: WebhookDeliveries,
    private readonly subscriptions: SubscriptionDeliveries,
    private readonly unwatched: UnwatchedEventsRepository,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {
    const poll = async () => config.pollMs;
    this.eventLoops = Array.from(
      { length: config.eventConcurrency },
      (_, i) => new WorkLoop(`events ${i + 1}`, () => this.processEvents(), poll, this.logger),
    );
    this.deliveryLoop = new WorkLoop(
      'webhooks',
      async () => (await this.deliveries.tick()) > 0,
      () => this.deliveries.idleMs(config.pollMs),
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (!this.config.enabled) return;
    this.unsubscribe = this.events.onCommitted(() => this.eventLoops.forEach((l) => l.wake()));
    this.deliveries.onSettled = () => this.deliveryLoop.wake();
    this.eventLoops.forEach((l) => l.start());
    this.deliveryLoop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all([...this.eventLoops.map((l) => l.stop()), this.deliveryLoop.stop()]);
    // Sends in flight settle (or time out) first; one still going after that is sent again when its lease ends.
    await this.deliveries.drain(Math.min(this.config.timeoutMs, 10_000));
  }

  /** Events nobody listens to in one statement, then one batch of the others in one transaction. */
  async processEvents(): Promise<boolean> {
    const skipped = await this.unwatched.markProcessed(this.config.skipWindow);
    return (await this.processBatch()) || skipped > 0;
  }

  /** One batch of events in one transaction; returns whether it found any (more may wait). */
  private async processBatch(): Promise<boolean> {
    let deliveries = 0;
    const claimed = await this.txHost.withTransaction(async () => {
      const batch = await this.outbox.claim(this.config.batchSize);
      if (!batch.length) return 0;
      deliveries += await this.subscriptions.enqueue(batch);
      const active = await this.automations.findActiveIn([...new Set(batch.map((e) => e.workspace_id))]);
      const counts = new Map<number, number>();
      // Automations run on events that happened after they were created, never retroactively.
      const work = batch.map((event) => ({
        event,
        automations: active.filter(
          (a) =>
            a.workspaceId === event.workspace_id &&
            a.triggerType === event.type &&
            a.createdAt.getTime() <= new Date(event.created_at).getTime(),
        ),
      }));
      const shared = new RunBatch();
      await this.runner.preload(shared, work);
      for (const { event, automations } of work) {
        const outcome = await this.runner.handle(event, automations, shared);
        deliveries += outcome.deliveries;
        for (const id of outcome.ran) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      await this.runner.flush(shared);
      await this.runLog.countRuns(counts);
      await this.outbox.markProcessed(batch.map((e) => e.id));
      return batch.length;
    });
    if (deliveries) this.deliveryLoop.wake();
    return claimed > 0;
  }
}
