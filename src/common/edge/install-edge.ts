import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { bodyBoundsProblem } from './body-bounds';
import { capConnectionsPerAddress } from './connection-cap';
import type { EdgeConfig } from './edge-config';
import { RequestGate } from './request-gate';

/**
 * Installs what runs before routing: the connection caps (in all and per address), the request gate
 * (Cache-Control, key, rate limits: onRequest, before the body is read) and the body bounds (preValidation, right
 * after parsing; JSON bodies are bounded before parsing too, in common/http/json-body.ts).
 */
export function installEdge(app: NestFastifyApplication, config: EdgeConfig): void {
  const server = app.getHttpServer();
  server.maxConnections = config.maxConnections;
  capConnectionsPerAddress(server, config.maxConnectionsPerAddress, config.trustProxy);
  const fastify = app.getHttpAdapter().getInstance();
  const gate = new RequestGate(
    app.get(ApiKeysService),
    app.get<ThrottlerStorage>(ThrottlerStorage as never),
    config.unauthenticatedPerMinute,
    config.keylessPerMinute,
  );
  fastify.addHook('onRequest', (req, reply) => gate.onRequest(req, reply));
  fastify.addHook('preValidation', async (req) => {
    const problem = bodyBoundsProblem(req.body);
    if (problem) throw problem;
  });
}
