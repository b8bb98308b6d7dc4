import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonShapeProblem } from '../edge/json-shape-scan';

/**
 * The one JSON body parser (Fastify's own: same errors, same prototype-poisoning checks), read as bytes, with
 * three additions:
 * - many HTTP clients send `Content-Type: application/json` on every request, body or not: an empty body with
 *   that type is no body (a DELETE, a tag route), not malformed JSON;
 * - the body bounds are checked on the bytes (jsonShapeProblem) before JSON.parse, so a body of 110,000 keys is a
 *   422 after its 201st key and never becomes an object;
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
      if (isBlank(body)) return done(null, undefined);
      const problem = jsonShapeProblem(body);
      if (problem) return done(problem, undefined);
      return parse(req, body.toString('utf8'), done);
    },
  );
}

/** The body of a request exactly as received, on the routes that keep it (undefined elsewhere). */
export function rawBodyOf(req: unknown): Buffer | undefined {
  return (req as { rawBody?: Buffer }).rawBody;
}

/** Only whitespace, as String.prototype.trim sees it (a lone BOM or NBSP too, in a short body). */
function isBlank(bytes: Buffer): boolean {
  for (const b of bytes)
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)
      return bytes.length < 64 && bytes.toString('utf8').trim() === '';
  return true;
}
