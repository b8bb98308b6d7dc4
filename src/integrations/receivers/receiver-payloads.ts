import { createHmac } from 'node:crypto';
import { ApiException } from '../../common/errors/api.exception';
import { sameSecret } from './receipts.service';
import type { Answer } from './lead-mapping';

const ID = /^[A-Za-z0-9_.:-]{1,255}$/;

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`, compared in constant time. */
export function facebookSignatureValid(raw: Buffer | undefined, header: unknown, appSecret: string): boolean {
  if (!raw || typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest('hex');
  return sameSecret(header.slice('sha256='.length).toLowerCase(), expected);
}

export interface LeadgenChange {
  leadgen_id: string;
  page_id: string;
  form_id?: string;
  ad_id?: string;
  created_time?: number;
}

/**
 * The leadgen changes of a Lead Ads webhook body for this page (`object: page`, `entry[].changes[]` with
 * `field: leadgen`); other fields and other pages are ignored. A body that is not a page webhook is a 422.
 */
export function leadgenChanges(body: unknown, pageId: string): LeadgenChange[] {
  const b = body as { object?: unknown; entry?: unknown };
  if (!b || typeof b !== 'object' || b.object !== 'page' || !Array.isArray(b.entry))
    throw ApiException.field('entry', 'The body must be a page webhook (object "page" with an entry list).');
  const out: LeadgenChange[] = [];
  for (const entry of b.entry.slice(0, 1000) as { id?: unknown; changes?: unknown }[]) {
    if (!entry || !Array.isArray(entry.changes)) continue;
    for (const c of entry.changes as { field?: unknown; value?: Record<string, unknown> }[]) {
      const v = c?.value;
      if (c?.field !== 'leadgen' || !v || typeof v !== 'object') continue;
      const leadgenId = String(v.leadgen_id ?? '');
      const page = String(v.page_id ?? entry.id ?? '');
      if (!ID.test(leadgenId) || page !== pageId) continue;
      out.push({
        leadgen_id: leadgenId,
        page_id: page,
        ...(v.form_id !== undefined ? { form_id: String(v.form_id) } : {}),
        ...(v.ad_id !== undefined ? { ad_id: String(v.ad_id) } : {}),
        ...(typeof v.created_time === 'number' ? { created_time: v.created_time } : {}),
      });
    }
  }
  return out;
}

export interface GoogleLead {
  leadId: string;
  isTest: boolean;
  gclId?: string;
  answers: Answer[];
  /** What is kept of the payload: everything but the key and the answers. */
  meta: Record<string, unknown>;
}

/** Google's key first (403 without touching anything else), then the payload's shape (422). */
export function googleLead(body: unknown, key: string): GoogleLead {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof b.google_key !== 'string' || !sameSecret(b.google_key, key))
    throw new ApiException('FORBIDDEN', 'The google_key does not match the webhook key of this integration.');
  const errors: Record<string, string[]> = {};
  const leadId = typeof b.lead_id === 'string' && ID.test(b.lead_id) ? b.lead_id : undefined;
  if (!leadId) errors.lead_id = ['The lead_id field must be a string of 1 to 255 id characters.'];
  const columns = Array.isArray(b.user_column_data) ? b.user_column_data : undefined;
  if (!columns || columns.length > 200)
    errors.user_column_data = ['The user_column_data field must be an array of at most 200 columns.'];
  const answers: Answer[] = [];
  (columns ?? []).forEach((c: Record<string, unknown>, i: number) => {
    const key = typeof c?.column_id === 'string' && c.column_id ? c.column_id : c?.column_name;
    if (typeof key !== 'string' || !key || typeof c.string_value !== 'string')
      (errors[`user_column_data.${i}`] ??= []).push(
        'Each column needs a column_id or column_name and a string_value.',
      );
    else answers.push({ key, value: c.string_value });
  });
  if (Object.keys(errors).length) throw ApiException.validation(errors);
  const meta = Object.fromEntries(
    Object.entries(b).filter(([k]) => k !== 'google_key' && k !== 'user_column_data'),
  );
  return {
    leadId: leadId!,
    isTest: b.is_test === true,
    gclId: typeof b.gcl_id === 'string' && b.gcl_id ? b.gcl_id.slice(0, 255) : undefined,
    answers,
    meta,
  };
}
