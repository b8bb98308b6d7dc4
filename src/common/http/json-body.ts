import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The one JSON body parser (Fastify's own: same errors, same prototype-poisoning checks), with two additions:
 * - many HTTP clients send `Content-Type: application/json` on every request, body or not: an empty body with
 *   that type is no body (a DELETE, a tag route), not malformed JSON;
 * - on routes under `keepRawUnder` the bytes are also kept as received (`rawBodyOf`), so a signature computed
 *   over them can be checked; other routes keep no second copy of their body.
 */
export function installJsonBodyParser(fastify: FastifyInstance, keepRawUnder?: string): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      if (keepRawUnder && req.url.startsWith(keepRawUnder)) (req as { rawBody?: Buffer }).rawBody = body;
      const text = body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      return parse(req, text, done);
    },
  );
}

/** The body of a request exactly as received, on the routes that keep it (undefined elsewhere). */
export function rawBodyOf(req: unknown): Buffer | undefined {
  return (req as { rawBody?: Buffer }).rawBody;
}
