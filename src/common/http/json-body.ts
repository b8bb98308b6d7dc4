import type { FastifyInstance } from 'fastify';
import { jsonShapeProblem } from '../edge/json-shape-scan';

/**
 * The one JSON body parser. Read as bytes, then:
 * - many HTTP clients send `Content-Type: application/json` on every request, body or not: an empty body with that
 *   type is no body (a DELETE, a tag route), not malformed JSON;
 * - the body bounds are checked on the bytes (jsonShapeProblem) before JSON.parse, so a body of 110,000 keys is a
 *   422 after its 201st key and never becomes an object;
 * - the rest goes to Fastify's own parser (prototype-poisoning checks included).
 */
export function acceptEmptyJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    if (isBlank(bytes)) return done(null, undefined);
    const problem = jsonShapeProblem(bytes);
    if (problem) return done(problem, undefined);
    return parse(req, bytes.toString('utf8'), done);
  });
}

/** Only whitespace (as String.prototype.trim sees it: a lone BOM or NBSP too, in a short body). */
function isBlank(bytes: Buffer): boolean {
  for (const b of bytes)
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09)
      return bytes.length < 64 && bytes.toString('utf8').trim() === '';
  return true;
}
