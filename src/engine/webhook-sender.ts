import { createHmac } from 'node:crypto';
import { APP_VERSION } from '../common/app-version';
import { DeliveryFailure, postGuarded } from './http-post';

export { DeliveryFailure } from './http-post';

export interface WebhookRequest {
  deliveryId: string;
  eventType: string;
  url: string;
  body: string;
  /** The signing secret in plaintext; none → no X-LeadHub-Signature header. */
  secret: string | null;
  timeoutMs: number;
  /** LEADHUB_ALLOW_PRIVATE_URLS. */
  allowPrivate?: boolean;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. */
export function signature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * POSTs a signed webhook through the SSRF guard (see postGuarded). Resolves with the status of a 2xx answer;
 * throws DeliveryFailure otherwise: retryable for 5xx, timeouts, network errors and a host that does not
 * resolve; final for other statuses (redirects are not followed) and refused URLs.
 */
export async function sendWebhook(req: WebhookRequest): Promise<number> {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'User-Agent': `LeadHub-Webhooks/${APP_VERSION}`,
    'X-LeadHub-Event': req.eventType,
    'X-LeadHub-Delivery': req.deliveryId,
  };
  if (req.secret !== null) headers['X-LeadHub-Signature'] = signature(req.secret, req.body);
  const { status } = await postGuarded(req.url, headers, req.body, req.timeoutMs, req.allowPrivate);
  if (status >= 200 && status < 300) return status;
  throw new DeliveryFailure(`HTTP ${status}`, status >= 500, status);
}
