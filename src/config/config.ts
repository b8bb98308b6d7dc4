import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';
import { resolve } from 'node:path';

/** Base URLs of outside services: local ones allowed (tests, proxies). */
const BASE_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** Environment variables the service reads; validated once at start so a typo fails loudly. */
class Environment {
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  HOST = '0.0.0.0';

  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  DATA_DIR = './data';

  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^lh_[A-Za-z0-9]{32,}$/, {
    message: 'LEADHUB_BOOTSTRAP_KEY must be lh_ followed by at least 32 base62 characters',
  })
  LEADHUB_BOOTSTRAP_KEY?: string;

  /** Encrypts stored secrets (see SecretBox); checked here so a bad value fails before anything starts. */
  @IsOptional()
  @IsString()
  @Matches(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, {
    message: 'LEADHUB_SECRET_KEY must be 32 bytes written as 64 hex characters or base64',
  })
  LEADHUB_SECRET_KEY?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  APP_URL?: string;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  DB_QUERY_TIMEOUT_MS = 10_000;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  EMBEDDED_PG_PORT = 0;

  /** The automation engine (src/engine/engine-config.ts reads these): 0 turns the in-process worker off. */
  @IsOptional()
  @IsIn(['0', '1'])
  LEADHUB_WORKER?: string;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LEADHUB_WORKER_POLL_MS?: number;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_BACKOFF_MS?: number;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  LEADHUB_WEBHOOK_TIMEOUT_MS?: number;

  /** Runs + events one change made through the API may cause through automations (src/engine). */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LEADHUB_AUTOMATION_CHAIN_BUDGET?: number;

  /** Webhook deliveries in flight per instance, per destination and per workspace (src/engine). */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_CONCURRENCY?: number;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_HOST_CONCURRENCY?: number;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_WORKSPACE_CONCURRENCY?: number;

  /** Outside services of integrations (src/integrations/outside-services.ts); http(s) base URLs. */
  @IsOptional()
  @IsUrl(BASE_URL, { message: 'LEADHUB_FACEBOOK_GRAPH_URL must be an http(s) URL' })
  LEADHUB_FACEBOOK_GRAPH_URL?: string;

  @IsOptional()
  @IsUrl(BASE_URL, { message: 'LEADHUB_MAILGUN_API_URL must be an http(s) URL' })
  LEADHUB_MAILGUN_API_URL?: string;

  @IsOptional()
  @IsUrl(BASE_URL, { message: 'LEADHUB_MAILGUN_EU_API_URL must be an http(s) URL' })
  LEADHUB_MAILGUN_EU_API_URL?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  bootstrapKey?: string;
  logLevel: string;
  appUrl?: string;
  queryTimeoutMs: number;
  bodyLimitBytes: number;
  embeddedPgPort: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: false });
  if (errors.length) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    databaseUrl: parsed.DATABASE_URL,
    dataDir: resolve(parsed.DATA_DIR),
    redisUrl: parsed.REDIS_URL,
    bootstrapKey: parsed.LEADHUB_BOOTSTRAP_KEY,
    logLevel: parsed.LOG_LEVEL,
    appUrl: parsed.APP_URL?.replace(/\/+$/, ''),
    queryTimeoutMs: parsed.DB_QUERY_TIMEOUT_MS,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    embeddedPgPort: parsed.EMBEDDED_PG_PORT,
  };
}
