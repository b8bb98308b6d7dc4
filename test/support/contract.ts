import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The committed document: what integrators and their contract tests rely on. */
export const OPENAPI: Json = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8'),
);

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema(OPENAPI, 'openapi');

const routes = Object.keys(OPENAPI.paths).map((template) => ({
  template,
  regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  literal: !template.includes('{'),
}));
const compiled = new Map<string, ValidateFunction>();

function pointer(...parts: string[]): string {
  return `openapi#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: ref });
    compiled.set(ref, v);
  }
  return v;
}

export function findOperation(method: string, path: string): { template: string; op: Json } | undefined {
  const candidates = routes.filter(
    (r) => r.regex.test(path) && OPENAPI.paths[r.template][method.toLowerCase()],
  );
  const best = candidates.find((r) => r.literal) ?? candidates[0]; // /integrations/types beats /integrations/{id}
  return best
    ? { template: best.template, op: OPENAPI.paths[best.template][method.toLowerCase()] }
    : undefined;
}

/** Problems with a response against the document; empty when it conforms. */
export function contractViolations(
  method: string,
  url: string,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): string[] {
  const path = new URL(url, 'http://x').pathname;
  if (!headers['x-request-id']) return ['X-Request-Id header missing'];
  // A CORS preflight is answered for every /api path and documented in the README, not per operation.
  if (method === 'OPTIONS' && status === 204) return [];
  const found = findOperation(method, path);
  if (status === 405 && !headers['allow']) return ['405 without an Allow header'];
  if (!found) {
    if (status === 404 || status === 405) return envelopeViolations(body);
    return [`${method} ${path} is not in the document (status ${status})`];
  }
  const { template, op } = found;
  const response = op.responses?.[String(status)];
  if (!response)
    return [
      `${method} ${template}: status ${status} is not documented (${JSON.stringify(body).slice(0, 300)})`,
    ];
  const problems: string[] = [];
  if (status === 201 && !headers['location']) problems.push('201 without a Location header');
  for (const name of Object.keys(response.headers ?? {})) {
    const h = response.headers[name].$ref
      ? OPENAPI.components.headers[response.headers[name].$ref.split('/').pop()]
      : response.headers[name];
    if (h.required && headers[name.toLowerCase()] === undefined)
      problems.push(`required header ${name} missing on ${status}`);
  }
  const media = response.content?.['application/json'];
  if (media) {
    if (!String(headers['content-type'] ?? '').startsWith('application/json'))
      problems.push(`content-type is ${headers['content-type']}`);
    const validate = validator(
      pointer(
        'paths',
        template,
        method.toLowerCase(),
        'responses',
        String(status),
        'content',
        'application/json',
        'schema',
      ),
    );
    if (!validate(body)) {
      problems.push(
        `${method} ${template} ${status} body: ${ajv.errorsText(validate.errors)} — ${JSON.stringify(body).slice(0, 500)}`,
      );
    }
  } else if (
    body !== undefined &&
    body !== '' &&
    !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)
  ) {
    problems.push(
      `${method} ${template} ${status}: documented without a body but got ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  if (!headers['x-request-id']) problems.push('X-Request-Id header missing');
  return problems;
}

function envelopeViolations(body: unknown): string[] {
  const validate = validator('openapi#/components/schemas/ErrorEnvelope');
  return validate(body) ? [] : [`error body is not the envelope: ${ajv.errorsText(validate.errors)}`];
}
