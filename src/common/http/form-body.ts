import type { FastifyInstance } from 'fastify';

/**
 * Where a plain HTML `<form>` may post (`application/x-www-form-urlencoded`): public website forms and the admin
 * panel. Everywhere else the API stays JSON-only and such a body is a 415, as before.
 */
const FORM_POST_PATHS = [/^\/api\/forms\/[^/?]+\/submit\/?(?:\?|$)/, /^\/admin(?:[/?]|$)/];

export type FormBody = Record<string, string | string[]>;

/** One urlencoded parser for the whole server (Fastify allows one per media type). */
export function acceptHtmlFormPosts(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (req, body, done) => {
      if (!FORM_POST_PATHS.some((p) => p.test(req.url))) {
        const err = Object.assign(new Error('Unsupported Media Type'), {
          statusCode: 415,
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
        });
        return done(err, undefined);
      }
      done(null, parseForm(body as string));
    },
  );
}

/** A prototype-less record: a field named __proto__ or constructor is just a field. Repeated names → arrays. */
export function parseForm(body: string): FormBody {
  const out: FormBody = Object.create(null);
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
