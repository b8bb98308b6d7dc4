import { type OutsideServices, outsideServices } from '../integrations/outside-services';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { Environment } from './config';

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
  bodyLimitBytes!: number;
  embeddedPgPort!: number;
  worker!: { enabled: boolean; pollMs: number; webhookBackoffMs: number; webhookTimeoutMs: number };
  metricsToken?: string;
  shutdownTimeoutMs!: number;
  /** Bounds of the automation engine (src/engine/engine-config.ts). */
  engine!: {
    chainBudget: number;
    webhookConcurrency: number;
    webhookHostConcurrency: number;
    webhookWorkspaceConcurrency: number;
  };
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
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    embeddedPgPort: parsed.EMBEDDED_PG_PORT,
    worker: {
      enabled: parsed.LEADHUB_WORKER !== '0',
      pollMs: parsed.LEADHUB_WORKER_POLL_MS,
      webhookBackoffMs: parsed.LEADHUB_WEBHOOK_BACKOFF_MS,
      webhookTimeoutMs: parsed.LEADHUB_WEBHOOK_TIMEOUT_MS,
    },
    metricsToken: parsed.METRICS_TOKEN,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS,
    engine: {
      chainBudget: parsed.LEADHUB_AUTOMATION_CHAIN_BUDGET ?? 100,
      webhookConcurrency: parsed.LEADHUB_WEBHOOK_CONCURRENCY ?? 32,
      webhookHostConcurrency: parsed.LEADHUB_WEBHOOK_HOST_CONCURRENCY ?? 4,
      webhookWorkspaceConcurrency: parsed.LEADHUB_WEBHOOK_WORKSPACE_CONCURRENCY ?? 8,
    },
    outsideServices: outsideServices(parsed),
  };
  return Object.assign(new AppConfig(), config, overrides);
}
