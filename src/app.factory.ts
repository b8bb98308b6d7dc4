import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppModule, AppOptions } from './app.module';
import { AppConfig } from './config/app-config';
import { MetricsService } from './metrics/metrics.service';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
import { setupSwagger } from './common/docs/openapi';
import { ApiValidationPipe } from './common/validation/api-validation.pipe';
import { keepRawReceiverBodies } from './integrations/receivers/raw-body';

export interface CreateAppOptions extends AppOptions {
  /** Skip the document build (the generator builds it itself). */
  swagger?: boolean;
  /** Scan the module graph without connecting to anything (OpenAPI generation). */
  preview?: boolean;
}

export async function createApp(o: CreateAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: true,
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
  configureApp(app, o.config);
  if (o.swagger !== false) setupSwagger(app);
  return app;
}

export function configureApp(app: NestFastifyApplication, config: AppConfig): void {
  app.setGlobalPrefix('api', { exclude: ['docs', 'docs/(.*)'] });
  app.useGlobalPipes(new ApiValidationPipe());
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only (Fastify's own parser; Nest's urlencoded parser is off): any other body type is a 415.
  fastify.removeContentTypeParser(['text/plain']);
  keepRawReceiverBodies(fastify);
  // Read by @RequestUrl(): the public base URL of links, when configured (APP_URL).
  fastify.decorateRequest('appUrl', config.appUrl ?? '');
  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
  });
}
