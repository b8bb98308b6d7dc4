import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AutomationsModule } from './automations/automations.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { BearerStrategy } from './common/auth/bearer.strategy';
import { ScopesGuard } from './common/auth/scopes.guard';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { ApiKeyThrottlerGuard } from './common/throttling/api-key-throttler.guard';
import { MemoryWindowStorage } from './common/throttling/memory-window.storage';
import { RedisWindowStorage } from './common/throttling/redis-window.storage';
import { httpLoggerOptions } from './common/logging/logger';
import { StrictQueryInterceptor } from './common/validation/strict-query.interceptor';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source';
import { EngineModule } from './engine/engine.module';
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
];

@Module({})
export class AppModule {
  static register(o: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(o.config),
        MetricsModule,
        LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(o.config) }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: o.databaseUrl, queryTimeoutMs: o.config.queryTimeoutMs }),
          retryAttempts: 2,
          retryDelay: 1000,
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
        // Global guards run in this order: authenticate (401), count the request (429), check the scope (403).
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
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
  return new RedisWindowStorage(new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true }));
}
