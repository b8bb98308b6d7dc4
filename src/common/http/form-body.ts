import fastifyFormbody from '@fastify/formbody';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { envelope } from '../errors/error-envelope';

/** The only operations a plain HTML `<form>` posts to (public website forms). */
const FORM_POST_PATHS = /^\/api\/forms\/[^/]+\/submit\/?$/;

/**
 * `application/x-www-form-urlencoded` bodies (@fastify/formbody) for the public form endpoint only: everywhere
 * else the API stays JSON-only and such a body is a 415, as before.
 */
export async function acceptHtmlFormPosts(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyFormbody);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (req, reply) => {
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      if (!type.startsWith('application/x-www-form-urlencoded') || req.is404) return;
      if (FORM_POST_PATHS.test(req.url.split('?')[0])) return;
      return reply
        .code(415)
        .header('content-type', 'application/json; charset=utf-8')
        .send(envelope('UNSUPPORTED_MEDIA_TYPE'));
    });
}
