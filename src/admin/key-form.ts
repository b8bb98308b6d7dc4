import { ALL_SCOPES, WILDCARD_SCOPE } from '../common/auth/scopes';
import { field, fields, FormBody } from './admin-http';

/** The scopes as the form's checklist: one group per resource, in the reference's order. */
export const SCOPE_GROUPS: Array<{ resource: string; scopes: string[] }> = [];
for (const scope of ALL_SCOPES) {
  const resource = scope.split(':')[1];
  let group = SCOPE_GROUPS.find((g) => g.resource === resource);
  if (!group) SCOPE_GROUPS.push((group = { resource, scopes: [] }));
  group.scopes.push(scope);
}
export { WILDCARD_SCOPE };

export interface KeyFormValues {
  name: string;
  scopes: string[];
  rateLimit: string;
  /** `YYYY-MM-DDTHH:MM` in UTC (a datetime-local input), or ''. */
  expiresAt: string;
}

export function keyFormValues(body: FormBody): KeyFormValues {
  return {
    name: field(body, 'name').trim(),
    scopes: fields(body, 'scopes'),
    rateLimit: field(body, 'rate_limit').trim(),
    expiresAt: field(body, 'expires_at').trim(),
  };
}

/** Parsed form values; the service checks the rest (known scopes, positive limit, future expiry). */
export function parseKeyForm(v: KeyFormValues): {
  error?: string;
  rateLimit: number;
  expiresAt: Date | null;
} {
  const out = { rateLimit: Number(v.rateLimit), expiresAt: null as Date | null };
  if (!v.name) return { ...out, error: 'Enter a name for the key.' };
  if (v.name.length > 255) return { ...out, error: 'The name can have at most 255 characters.' };
  if (!/^\d{1,10}$/.test(v.rateLimit))
    return { ...out, error: 'The rate limit must be a whole number of requests per hour.' };
  if (v.expiresAt) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v.expiresAt))
      return { ...out, error: 'The expiry must be a date and time (UTC).' };
    out.expiresAt = new Date(`${v.expiresAt}Z`);
    if (Number.isNaN(out.expiresAt.getTime()))
      return { ...out, error: 'The expiry must be a date and time (UTC).' };
  }
  return out;
}

/** A stored expiry as the datetime-local input shows it (UTC). */
export const toLocalInput = (d: Date | null) => (d ? d.toISOString().slice(0, 16) : '');
