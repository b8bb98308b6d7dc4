import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { DEFAULT_EDGE_CONFIG } from '../common/edge/edge-config';

/** Base URLs of outside services: local ones allowed (tests, proxies). */
const BASE_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

const toInt = () => Transform(({ value }) => (typeof value === 'string' ? Number(value) : value));

/**
 * Every environment variable the service reads, validated once at start so a typo fails loudly, naming the
 * variable. Add new variables here (and to the README's configuration table), then map them in app-config.ts.
 */
export class Environment {
  @IsOptional()
  @toInt()
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

  /** Relative paths are relative to the project folder (not the working directory). */
  @IsOptional()
  @IsString()
  DATA_DIR = 'data';

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

  /** Encrypts stored secrets (see SecretBox). */
  @IsOptional()
  @IsString()
  @Matches(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, {
    message: 'LEADHUB_SECRET_KEY must be 32 bytes written as 64 hex characters or base64',
  })
  LEADHUB_SECRET_KEY?: string;

  @IsOptional()
  @IsIn(['0', '1'], { message: 'LEADHUB_ALLOW_PRIVATE_URLS must be 0 or 1' })
  LEADHUB_ALLOW_PRIVATE_URLS = '0';

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(0)
  LEADHUB_KEY_CACHE_TTL_MS = 5_000;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Unset: pretty when stdout is a terminal, JSON otherwise. */
  @IsOptional()
  @IsIn(['pretty', 'json'])
  LOG_FORMAT?: 'pretty' | 'json';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'APP_URL must be an http(s) URL' })
  APP_URL?: string;

  /** `*` (default), `off`, or a comma-separated list of origins such as `https://app.example.com`. */
  @IsOptional()
  @Matches(/^(\*|off|none|false|https?:\/\/[^\s,/]+\/?(\s*,\s*https?:\/\/[^\s,/]+\/?)*)$/i, {
    message: 'CORS_ORIGINS must be *, off, or a comma-separated list of origins (https://host[:port])',
  })
  CORS_ORIGINS?: string;

  /** Submissions per client address per hour to public forms. */
  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_PUBLIC_FORM_LIMIT = 60;

  /** Test-only (test/process): the server SIGKILLs itself after an idempotent POST committed, before replying. */
  @IsOptional()
  @IsIn(['0', '1'])
  LEADHUB_TEST_CRASH_AFTER_IDEMPOTENT_COMMIT = '0';

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  DB_QUERY_TIMEOUT_MS = 10_000;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  READINESS_TIMEOUT_MS = 2_000;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_PG_PORT = 0;

  /** Proxies whose X-Forwarded-* headers are believed: unset/false (none), true, a hop count, or IPs/CIDRs. */
  @IsOptional()
  @IsString()
  @Matches(/^(true|false|\d+|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message:
      'TRUST_PROXY must be true, false, a number of hops, or a comma-separated list of addresses/CIDRs',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  HEADERS_TIMEOUT_MS = DEFAULT_EDGE_CONFIG.headersTimeoutMs;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  REQUEST_TIMEOUT_MS = DEFAULT_EDGE_CONFIG.requestTimeoutMs;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  KEEP_ALIVE_TIMEOUT_MS = DEFAULT_EDGE_CONFIG.keepAliveTimeoutMs;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(0)
  SOCKET_TIMEOUT_MS = DEFAULT_EDGE_CONFIG.socketTimeoutMs;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  MAX_CONNECTIONS = DEFAULT_EDGE_CONFIG.maxConnections;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(0)
  MAX_CONNECTIONS_PER_ADDRESS = DEFAULT_EDGE_CONFIG.maxConnectionsPerAddress;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  UNAUTHENTICATED_RATE_LIMIT = DEFAULT_EDGE_CONFIG.unauthenticatedPerMinute;

  /** Requests to keyless operations per client address and minute, in each instance; 0: no limit. */
  @IsOptional()
  @toInt()
  @IsInt()
  @Min(0)
  KEYLESS_RATE_LIMIT = DEFAULT_EDGE_CONFIG.keylessPerMinute;

  /** The automation engine: 0 turns the in-process worker off. */
  @IsOptional()
  @IsIn(['0', '1'], { message: 'LEADHUB_WORKER must be 0 or 1' })
  LEADHUB_WORKER = '1';

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_WORKER_POLL_MS = 1000;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_BACKOFF_MS = 30_000;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  LEADHUB_WEBHOOK_TIMEOUT_MS = 10_000;

  /** Runs + events one change made through the API may cause through automations (src/engine). */
  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_AUTOMATION_CHAIN_BUDGET = 100;

  /** Processed domain events are deleted after this many hours (src/engine/outbox-pruner.ts). */
  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_EVENT_RETENTION_HOURS = 168;

  /** Vacuum the service's tables where PostgreSQL's autovacuum is off (src/engine/vacuum-upkeep.ts). */
  @IsOptional()
  @IsIn(['auto', 'always', 'off'], { message: 'LEADHUB_VACUUM must be auto, always or off' })
  LEADHUB_VACUUM: 'auto' | 'always' | 'off' = 'auto';

  /** Webhook deliveries in flight per instance, per destination and per workspace (src/engine). */
  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_CONCURRENCY = 32;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_HOST_CONCURRENCY = 4;

  @IsOptional()
  @toInt()
  @IsInt()
  @Min(1)
  LEADHUB_WEBHOOK_WORKSPACE_CONCURRENCY = 8;

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

  /** Set: GET /metrics serves Prometheus metrics to `Authorization: Bearer <token>`; unset: no /metrics. */
  @IsOptional()
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters without spaces' })
  METRICS_TOKEN?: string;

  /** SIGTERM: how long in-flight requests and the worker's batch may take before the process exits anyway. */
  @IsOptional()
  @toInt()
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 15_000;
}
