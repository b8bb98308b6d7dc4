import { parse, serialize } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FormBody } from '../common/http/form-body';

export type { FormBody };

export const ADMIN_PATH = '/admin';
export const SESSION_COOKIE = 'lh_admin_session';
/** Double-submit token of the forms shown before sign-in (sign-in, first-admin setup). */
export const ANON_CSRF_COOKIE = 'lh_admin_csrf';

// No inline script or style anywhere: scripts and styles come from /admin/static only.
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  // The setup page's URL carries a token: never send it anywhere as a referrer.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

export const isAdminUrl = (url: string) =>
  url === ADMIN_PATH || url.startsWith(`${ADMIN_PATH}/`) || url.startsWith(`${ADMIN_PATH}?`);

/**
 * What the admin panel needs from the HTTP layer: the security headers on every admin response, error pages and
 * redirects included (its forms' urlencoded bodies: src/common/http/form-body.ts).
 */
export function configureAdminHttp(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (req, reply) => {
    if (!isAdminUrl(req.url)) return;
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!(name === 'Cache-Control' && reply.hasHeader(name))) reply.header(name, value);
  });
}

/** One value of a form field (the first when repeated); '' when absent or not text (a JSON body's object). */
export function field(body: FormBody | undefined, name: string): string {
  const v = body && typeof body === 'object' ? body[name] : undefined;
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? one : '';
}

/** Every text value of a repeated field (checkboxes). */
export function fields(body: FormBody | undefined, name: string): string[] {
  const v = body && typeof body === 'object' ? body[name] : undefined;
  return ([] as unknown[]).concat(v ?? []).filter((x): x is string => typeof x === 'string');
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[name] : undefined;
}

/** HttpOnly, SameSite=Lax, path /admin; Secure when the request came over HTTPS (as TRUST_PROXY lets us see). */
export function setCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeS?: number,
) {
  const cookie = serialize(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    path: ADMIN_PATH,
    ...(maxAgeS !== undefined ? { maxAge: maxAgeS } : {}),
  });
  const prev = reply.getHeader('Set-Cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header('Set-Cookie', [...list, cookie]);
}

export function clearCookie(req: FastifyRequest, reply: FastifyReply, name: string) {
  setCookie(req, reply, name, '', 0);
}
