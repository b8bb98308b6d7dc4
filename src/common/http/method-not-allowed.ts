import type { FastifyInstance } from 'fastify';
import { envelope } from '../errors/error-envelope';

/**
 * A known path asked with a method it lacks is a 405 with `Allow` (RFC 9110), not a 404: the client
 * learns the path is right and which methods it takes. The routes are collected as they register.
 */
export function answerMethodNotAllowed(fastify: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: Set<string> }[] = [];
  const byUrl = new Map<string, Set<string>>();
  fastify.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return; // catch-alls (the CORS preflight route) say nothing about a path
    let methods = byUrl.get(route.url);
    if (!methods) {
      methods = new Set();
      byUrl.set(route.url, methods);
      routes.push({ pattern: toRegExp(route.url), methods });
    }
    for (const m of [route.method].flat()) methods.add(m.toUpperCase());
  });
  fastify.addHook('onRequest', async (req, reply) => {
    if (!req.is404) return;
    const path = req.url.split('?')[0];
    const allowed = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) for (const m of r.methods) allowed.add(m);
    if (!allowed.size) return;
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = [...allowed].sort().join(', ');
    return reply
      .code(405)
      .header('Allow', allow)
      .header('content-type', 'application/json; charset=utf-8')
      .send(
        envelope(
          'METHOD_NOT_ALLOWED',
          `The ${req.method} method is not supported for this path. Allowed: ${allow}.`,
        ),
      );
  });
}

function toRegExp(url: string): RegExp {
  const source = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}
