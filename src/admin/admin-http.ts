import { parse, serialize } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

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
 * What the admin panel needs from the HTTP layer: its forms' urlencoded bodies (the API keeps answering 415 to
 * them) and the security headers on every admin response, error pages and redirects included.
 */
export function configureAdminHttp(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (req, body, done) => {
      if (!isAdminUrl(req.url)) {
        const err = Object.assign(new Error('Unsupported Media Type'), {
          statusCode: 415,
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        });
        return done(err, undefined);
      }
      done(null, parseForm(body as string));
    },
  );
  fastify.addHook('onSend', async (req, reply) => {
    if (!isAdminUrl(req.url)) return;
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!(name === 'Cache-Control' && reply.hasHeader(name))) reply.header(name, value);
  });
}

export type FormBody = Record<string, string | string[]>;

/** A prototype-less record: a field named __proto__ or constructor is just a field. Repeated names → arrays. */
export function parseForm(body: string): FormBody {
  const out: FormBody = Object.create(null);
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
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
