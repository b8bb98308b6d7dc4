import type { AppConfig } from '../config/app-config';

/**
 * Settings of the automation engine, from the configuration (src/config: environment variables):
 * - LEADHUB_WORKER=0 turns the in-process worker off (another instance sharing the database does the work);
 * - LEADHUB_WORKER_POLL_MS (default 1000): how often the worker looks for work it was not told about
 *   (events of other instances, deliveries due for a retry, work a crashed instance left);
 * - LEADHUB_WEBHOOK_BACKOFF_MS (default 30000): the first retry delay; later ones are multiples of it;
 * - LEADHUB_WEBHOOK_TIMEOUT_MS (default 10000): the time limit of one delivery attempt;
 * - LEADHUB_AUTOMATION_CHAIN_BUDGET (default 100): runs + events one change made through the API may cause;
 * - LEADHUB_WEBHOOK_CONCURRENCY (default 32), LEADHUB_WEBHOOK_HOST_CONCURRENCY (default 4),
 *   LEADHUB_WEBHOOK_WORKSPACE_CONCURRENCY (default 8): deliveries in flight per instance, per destination
 *   (scheme, host and port) and per workspace;
 * - LEADHUB_EVENT_RETENTION_HOURS (default 168): processed domain events older than this are pruned.
 */
export interface EngineConfig {
  enabled: boolean;
  pollMs: number;
  /** Events claimed per transaction. */
  batchSize: number;
  /** Batches processed at once by one instance (each in its own transaction and connection). */
  eventConcurrency: number;
  /** Pending events looked at (oldest first) for ones nobody listens to, per statement. */
  skipWindow: number;
  /** Events at this depth (this many automation runs led to them) no longer run automations. */
  maxDepth: number;
  /**
   * Automation runs plus the events they record that one change made through the API may cause in all
   * (its causal chain); what would exceed it is logged as a `cut` run (see AutomationRunner).
   */
  chainBudget: number;
  /** Delay before retry n (1-based) = base × BACKOFF_STEPS[n - 1]. */
  backoffBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  /** A claimed delivery is retried by any worker after this long when its sender never reported back. */
  leaseMs: number;
  /** Deliveries in flight at a time in this instance, in all and per destination and workspace. */
  deliveryConcurrency: number;
  deliveryHostConcurrency: number;
  deliveryWorkspaceConcurrency: number;
  /** LEADHUB_ALLOW_PRIVATE_URLS: webhooks may go to private addresses. */
  allowPrivateUrls: boolean;
  /** Processed events older than this are deleted, `pruneBatch` rows a statement, every `pruneIntervalMs`. */
  retentionHours: number;
  pruneIntervalMs: number;
  pruneBatch: number;
  /** LEADHUB_VACUUM (src/engine/vacuum-upkeep.ts), and how often it looks for tables due. */
  vacuum: 'auto' | 'always' | 'off';
  vacuumIntervalMs: number;
}

/**
 * With the default base of 30 s: 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 12 h — 8 attempts over about 17 hours.
 */
export const BACKOFF_STEPS = [1, 4, 20, 60, 120, 360, 1440];

export const MAX_DEPTH = 5;

export function engineConfig(config: Pick<AppConfig, 'worker' | 'allowPrivateUrls'>): EngineConfig {
  const timeoutMs = config.worker.webhookTimeoutMs;
  return {
    enabled: config.worker.enabled,
    pollMs: config.worker.pollMs,
    batchSize: 100,
    skipWindow: 1_000,
    eventConcurrency: 4,
    maxDepth: MAX_DEPTH,
    chainBudget: config.worker.chainBudget ?? 100,
    backoffBaseMs: config.worker.webhookBackoffMs,
    maxAttempts: BACKOFF_STEPS.length + 1,
    timeoutMs,
    leaseMs: timeoutMs + 50_000,
    deliveryConcurrency: config.worker.webhookConcurrency ?? 32,
    deliveryHostConcurrency: config.worker.webhookHostConcurrency ?? 4,
    deliveryWorkspaceConcurrency: config.worker.webhookWorkspaceConcurrency ?? 8,
    allowPrivateUrls: config.allowPrivateUrls,
    retentionHours: config.worker.eventRetentionHours ?? 168,
    pruneIntervalMs: config.worker.pruneIntervalMs ?? 5 * 60_000,
    pruneBatch: config.worker.pruneBatch ?? 5_000,
    vacuum: config.worker.vacuum ?? 'auto',
    vacuumIntervalMs: config.worker.vacuumIntervalMs ?? 30_000,
  };
}

/** The delay before the next attempt after `attempts` failed ones; undefined when none is left. */
export function retryDelayMs(config: EngineConfig, attempts: number): number | undefined {
  if (attempts >= config.maxAttempts) return undefined;
  return config.backoffBaseMs * BACKOFF_STEPS[attempts - 1];
}
