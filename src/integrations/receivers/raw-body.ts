import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Routes whose JSON body is also kept as received (signatures are computed over the exact bytes). */
export const RAW_BODY_PREFIX = '/api/v1/receivers/';

/** The body of a receiver request exactly as received (undefined for other routes). */
export function rawBodyOf(req: unknown): Buffer | undefined {
  return (req as { rawBody?: Buffer }).rawBody;
}

/**
 * Replaces Fastify's JSON parser with the same parser (same errors, same prototype-poisoning checks) that
 * also keeps the raw bytes on receiver routes only, so Facebook's X-Hub-Signature-256 can be checked over
 * them; other routes keep no second copy of their body.
 */
export function keepRawReceiverBodies(fastify: FastifyInstance): void {
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      if (req.url.startsWith(RAW_BODY_PREFIX)) (req as { rawBody?: Buffer }).rawBody = body;
      json(req, body.toString('utf8'), done);
    },
  );
}
