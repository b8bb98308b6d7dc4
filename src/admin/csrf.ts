import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANON_CSRF_COOKIE, readCookie, setCookie } from './admin-http';

/** The name of the hidden field every state-changing admin form carries. */
export const CSRF_FIELD = '_csrf';

export const newToken = () => randomBytes(32).toString('base64url');

export function sameToken(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The token of the forms shown before sign-in: a random cookie echoed in the form (double submit). A
 * cross-site page can neither read nor set the cookie, so it cannot forge the field.
 */
export function anonymousCsrf(req: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(req, ANON_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = newToken();
  setCookie(req, reply, ANON_CSRF_COOKIE, token);
  return token;
}
