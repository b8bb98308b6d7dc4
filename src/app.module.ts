import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AdminModule } from './admin/admin.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AutomationsModule } from './automations/automations.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { BearerStrategy } from './common/auth/bearer.strategy';
import { ScopesGuard } from './common/auth/scopes.guard';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { MemoryWindowStorage } from './common/throttling/memory-window.storage';
import { RedisWindowStorage } from './common/throttling/redis-window.storage';
import { httpLoggerOptions } from './common/logging/logger';
import { StrictQueryInterceptor } from './common/validation/strict-query.interceptor';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { TypeOrmTransactions } from './database/transactions';
import { EngineModule } from './engine/engine.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { PipelinesModule } from './pipelines/pipelines.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { FormsModule } from './forms/forms.module';
import { InboundModule } from './inbound/inbound.module';
import { LeadsModule } from './leads/leads.module';
import { TagsModule } from './tags/tags.module';
import { UsersModule } from './users/users.module';
import { WorkspacesModule } from './workspaces/workspaces.module';

export interface AppOptions {
  config: AppConfig;
  /** DATABASE_URL, or the embedded cluster's URL. */
  databaseUrl: string;
  /** Where the logs go (default: stdout, as LOG_FORMAT says); tests read them. */
  logStream?: DestinationStream;
}

/** Resource modules; each domain registers itself here. */
const DOMAIN_MODULES = [
  HealthModule,
  WorkspacesModule,
  ApiKeysModule,
  TagsModule,
  PipelinesModule,
  UsersModule,
  IntegrationsModule,
  AutomationsModule,
  EventsModule,
  TagsModule,
  LeadsModule,
  InboundModule,
  FormsModule,
  EngineModule,
  IdempotencyModule,
  AdminModule,
];

@Module({})
export class AppModule {
  static register(o: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(o.config),
        MetricsModule,
        LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(o.config, o.logStream) }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: o.databaseUrl, queryTimeoutMs: o.config.queryTimeoutMs }),
          retryAttempts: 2,
          retryDelay: 1000,
        }),
        // Ambient transactions: `@Transactional()` service methods, repositories read `txHost.tx`.
        ClsModule.forRoot({
          global: true,
          plugins: [new ClsPluginTransactional({ adapter: new TypeOrmTransactions() })],
        }),
        PassportModule,
        ThrottlerModule.forRootAsync({
          useFactory: async () => ({
            throttlers: [{ name: 'hourly', ttl: 3_600_000, limit: 1000 }],
            setHeaders: false,
            storage: await rateLimitStorage(o.config.redisUrl),
          }),
        }),
        ...DOMAIN_MODULES,
      ],
      providers: [
        BearerStrategy,
        // Authentication (401) and the rate limit (429) are decided by the request gate before the body is read
        // (src/common/edge/request-gate.ts); the guards then check the key was found and the scope (403).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ScopesGuard },
        { provide: APP_INTERCEPTOR, useClass: StrictQueryInterceptor },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}

async function rateLimitStorage(redisUrl?: string) {
  if (!redisUrl) return new MemoryWindowStorage();
  const { Redis } = await import('ioredis');
  // Fail fast when Redis is away (no offline queue, short timeouts): the storage then counts in-process.
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_500, // generous: a busy event loop must not pass for a dead Redis
    connectTimeout: 2_000,
  });
  const storage = new RedisWindowStorage(redis);
  // The first requests should count in Redis already; a Redis that is down does not hold up the start.
  await new Promise<void>((done) => {
    const timer = setTimeout(done, 2_000);
    redis.once('ready', () => {
      clearTimeout(timer);
      done();
    });
  });
  return storage;
}
