import { Eta } from 'eta';
import type { FastifyReply } from 'fastify';
import { join } from 'node:path';
import { CSRF_FIELD } from './csrf';

// Templates sit beside this file (copied into dist by nest-cli's assets). `<%= %>` escapes; nothing uses `<%~ %>`
// except the layout's body, which is itself a rendered template.
const eta = new Eta({ views: join(__dirname, 'views'), autoEscape: true, cache: true, autoTrim: false });

export interface PageData {
  title: string;
  /** The signed-in admin, for the navigation; absent on the sign-in pages. */
  admin?: { name: string; email: string; workspace: string };
  csrf?: string;
  /** The navigation entry to mark as current. */
  nav?: 'overview' | 'keys' | 'users' | 'integrations';
  notice?: string;
  error?: string;
  [key: string]: unknown;
}

export function render(view: string, data: PageData): string {
  return eta.render(`./${view}`, { csrfField: CSRF_FIELD, ...data });
}

export function sendPage(reply: FastifyReply, view: string, data: PageData, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(render(view, data));
}

export function redirect(reply: FastifyReply, to: string) {
  return reply.code(303).header('Location', to).send();
}

/** Where a delivery went, without its path or query (which may carry a secret, e.g. a hook URL's token). */
export function hostOf(url: string | null): string {
  if (!url) return '';
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
