import { type OutsideServices, outsideServices } from '../integrations/outside-services';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { type EdgeConfig, parseTrustProxy } from '../common/edge/edge-config';
import { Environment } from './config';
import { CorsOrigins, parseCorsOrigins } from '../common/http/cors';

/**
 * The service's configuration: one typed object, loaded once at start (environment + `.env`) and injected
 * (`constructor(private readonly config: AppConfig)`). Nothing else reads `process.env` (a lint rule checks).
 */
export class AppConfig {
  port!: number;
  host!: string;
  databaseUrl?: string;
  /** Absolute. */
  dataDir!: string;
  redisUrl?: string;
  bootstrapKey?: string;
  secretKey?: string;
  allowPrivateUrls!: boolean;
  keyCacheTtlMs!: number;
  logLevel!: string;
  /** Undefined: decided by whether stdout is a terminal. */
  logFormat?: 'pretty' | 'json';
  appUrl?: string;
  queryTimeoutMs!: number;
  /** /api/v1/health/ready answers `unavailable` when the database takes longer than this. */
  readinessTimeoutMs!: number;
  bodyLimitBytes!: number;
  embeddedPgPort!: number;
  worker!: {
    enabled: boolean;
    pollMs: number;
    webhookBackoffMs: number;
    webhookTimeoutMs: number;
    /** Optional in overrides (tests); loadConfig always sets them. */
    chainBudget?: number;
    webhookConcurrency?: number;
    webhookHostConcurrency?: number;
    webhookWorkspaceConcurrency?: number;
    /** Hours a processed domain event is kept before the worker prunes it. */
    eventRetentionHours?: number;
    /** Test-only: how often the worker prunes (default 5 min) and how many rows one statement deletes. */
    pruneIntervalMs?: number;
    pruneBatch?: number;
    /** LEADHUB_VACUUM: vacuum the service's tables when PostgreSQL's autovacuum is off (auto), always, or never. */
    vacuum?: 'auto' | 'always' | 'off';
    /** Test-only: how often the vacuum upkeep looks for tables due (default 30 s). */
    vacuumIntervalMs?: number;
  };
  metricsToken?: string;
  shutdownTimeoutMs!: number;
  /** Proxy trust, timeouts, connection caps, unauthenticated budget (src/common/edge/edge-config.ts). */
  edge!: EdgeConfig;
  /** CORS for /api/*: `*`, a list of origins, or false. */
  corsOrigins!: CorsOrigins;
  /** Public form submissions per client address per hour. */
  publicFormLimit!: number;
  /** Test-only: SIGKILL after an idempotent POST committed, before replying (test/process). */
  testCrashAfterIdempotentCommit!: boolean;
  /** Base URLs of the outside services integrations call (src/integrations/outside-services.ts). */
  outsideServices!: OutsideServices;
}

export class ConfigError extends Error {}

/** The folder holding the project's package.json (the default data directory and `.env` live there). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** The environment the process runs with, over the project's `.env` file (the environment wins). */
export function processEnvironment(envFile = join(PROJECT_ROOT, '.env')): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/**
 * Validates and maps an environment. Without an argument: the process environment and `.env`. Tests pass their
 * own (`loadConfig({})` is the defaults) and may override fields of the result.
 */
export function loadConfig(
  env: Record<string, string | undefined> = processEnvironment(),
  overrides: Partial<AppConfig> = {},
): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: false });
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config: AppConfig = {
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: parsed.DATABASE_URL,
    dataDir: resolve(PROJECT_ROOT, parsed.DATA_DIR),
    redisUrl: parsed.REDIS_URL,
    bootstrapKey: parsed.LEADHUB_BOOTSTRAP_KEY,
    secretKey: parsed.LEADHUB_SECRET_KEY,
    allowPrivateUrls: parsed.LEADHUB_ALLOW_PRIVATE_URLS === '1',
    keyCacheTtlMs: parsed.LEADHUB_KEY_CACHE_TTL_MS,
    logLevel: parsed.LOG_LEVEL,
    logFormat: parsed.LOG_FORMAT,
    appUrl: parsed.APP_URL?.replace(/\/+$/, ''),
    queryTimeoutMs: parsed.DB_QUERY_TIMEOUT_MS,
    readinessTimeoutMs: parsed.READINESS_TIMEOUT_MS,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    embeddedPgPort: parsed.EMBEDDED_PG_PORT,
    worker: {
      enabled: parsed.LEADHUB_WORKER !== '0',
      pollMs: parsed.LEADHUB_WORKER_POLL_MS,
      webhookBackoffMs: parsed.LEADHUB_WEBHOOK_BACKOFF_MS,
      webhookTimeoutMs: parsed.LEADHUB_WEBHOOK_TIMEOUT_MS,
      chainBudget: parsed.LEADHUB_AUTOMATION_CHAIN_BUDGET,
      webhookConcurrency: parsed.LEADHUB_WEBHOOK_CONCURRENCY,
      webhookHostConcurrency: parsed.LEADHUB_WEBHOOK_HOST_CONCURRENCY,
      webhookWorkspaceConcurrency: parsed.LEADHUB_WEBHOOK_WORKSPACE_CONCURRENCY,
      eventRetentionHours: parsed.LEADHUB_EVENT_RETENTION_HOURS,
      vacuum: parsed.LEADHUB_VACUUM,
    },
    metricsToken: parsed.METRICS_TOKEN,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    edge: {
      trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
      headersTimeoutMs: parsed.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: parsed.KEEP_ALIVE_TIMEOUT_MS,
      socketTimeoutMs: parsed.SOCKET_TIMEOUT_MS,
      maxConnections: parsed.MAX_CONNECTIONS,
      maxConnectionsPerAddress: parsed.MAX_CONNECTIONS_PER_ADDRESS,
      unauthenticatedPerMinute: parsed.UNAUTHENTICATED_RATE_LIMIT,
      keylessPerMinute: parsed.KEYLESS_RATE_LIMIT,
    },
    corsOrigins: parseCorsOrigins(parsed.CORS_ORIGINS),
    publicFormLimit: parsed.LEADHUB_PUBLIC_FORM_LIMIT,
    testCrashAfterIdempotentCommit: parsed.LEADHUB_TEST_CRASH_AFTER_IDEMPOTENT_COMMIT === '1',
    outsideServices: outsideServices(parsed),
  };
  return Object.assign(new AppConfig(), config, overrides);
}
