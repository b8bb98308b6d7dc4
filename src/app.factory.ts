import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { configureAdminHttp } from './admin/admin-http';
import { AppModule, AppOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
import { setupSwagger } from './common/docs/openapi';
import { serverOptions } from './common/edge/edge-config';
import { installEdge } from './common/edge/install-edge';
import { CorsOrigins, registerCors } from './common/http/cors';
import { acceptHtmlFormPosts } from './common/http/form-body';
import { installJsonBodyParser } from './common/http/json-body';
import { LocationInterceptor } from './common/http/location.interceptor';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { answerMethodNotAllowed } from './common/http/method-not-allowed';
import { ApiValidationPipe } from './common/validation/api-validation.pipe';
import { RAW_BODY_PREFIX } from './integrations/receivers/raw-body';

export interface CreateAppOptions extends AppOptions {
  /** Skip the document build (the generator builds it itself). */
  swagger?: boolean;
  /** Scan the module graph without connecting to anything (OpenAPI generation). */
  preview?: boolean;
  /** CORS for /api/*: `*` (default), a list of origins, or false. */
  corsOrigins?: CorsOrigins;
}

export async function createApp(o: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    ...serverOptions(o.config.edge),
    bodyLimit: o.config.bodyLimitBytes,
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(o), adapter, {
    bufferLogs: true,
    bodyParser: false,
    preview: o.preview,
    abortOnError: false,
  });
  if (!o.preview) {
    app.useLogger(app.get(Logger));
    app.get(MetricsService).install(app.getHttpAdapter().getInstance());
  }
  await configureApp(app, o);
  if (o.swagger !== false) setupSwagger(app);
  return app;
}

export async function configureApp(app: NestFastifyApplication, o: CreateAppOptions): Promise<void> {
  const config: AppConfig = o.config;
  app.setGlobalPrefix('api', { exclude: ['docs', 'docs/(.*)', 'admin', 'admin/(.*)'] });
  app.useGlobalPipes(new ApiValidationPipe());
  // Outermost first: an idempotent POST stores the response (with its Location) the inner ones produced.
  if (o.preview) app.useGlobalInterceptors(new LocationInterceptor());
  else app.useGlobalInterceptors(app.get(IdempotencyInterceptor), new LocationInterceptor());
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only (Fastify's own parser; Nest's urlencoded parser is off): any other body type is a 415.
  fastify.removeContentTypeParser(['text/plain']);
  configureAdminHttp(fastify);
  // Read by @RequestUrl(): the public base URL of links, when configured (APP_URL).
  fastify.decorateRequest('appUrl', config.appUrl ?? '');
  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
  });
  // CORS first (a 401 or 429 must still be readable by a browser), then the gate before the 405 answer, so
  // that one too carries a valid key's rate-limit headers and counts.
  await registerCors(app, o.corsOrigins ?? config.corsOrigins ?? '*');
  installEdge(app, config.edge);
  installJsonBodyParser(fastify, RAW_BODY_PREFIX);
  answerMethodNotAllowed(fastify);
  acceptHtmlFormPosts(fastify);
}
