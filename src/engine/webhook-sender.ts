import { createHmac } from 'node:crypto';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { resolvePublicUrl, UnsafeUrlError } from '../common/net/ssrf-guard';
import { APP_VERSION } from '../common/app-version';

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

/** Why an attempt did not deliver, and whether another attempt may. */
export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null = null,
  ) {
    super(message);
  }
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. */
export function signature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * POSTs a webhook. The URL is checked by the SSRF guard now (not only when it was saved) and the connection
 * goes to an address the check approved (no second DNS answer can redirect it). Resolves with the status
 * of a 2xx answer; throws DeliveryFailure otherwise: retryable for 5xx, timeouts, network errors and a host
 * that does not resolve; final for other statuses (redirects are not followed) and refused URLs.
 */
export async function sendWebhook(req: WebhookRequest): Promise<number> {
  let target: { url: URL; addresses: string[] };
  try {
    target = await resolvePublicUrl(req.url, { allowPrivate: req.allowPrivate });
  } catch (err) {
    if (err instanceof UnsafeUrlError)
      throw new DeliveryFailure(`URL refused: ${err.message}`, err.reason === 'unresolvable');
    throw err;
  }
  const address = target.addresses[0];
  const family = isIP(address) === 6 ? 6 : 4;
  const lookup = ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(req.body),
    'User-Agent': `LeadHub-Webhooks/${APP_VERSION}`,
    'X-LeadHub-Event': req.eventType,
    'X-LeadHub-Delivery': req.deliveryId,
  };
  if (req.secret !== null) headers['X-LeadHub-Signature'] = signature(req.secret, req.body);
  // A connection of its own (no keep-alive pool): each delivery resolves and checks its address anew.
  const options: RequestOptions = { method: 'POST', headers, lookup, agent: false, timeout: req.timeoutMs };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const r = send(target.url, options, (res) => {
      res.resume(); // the answer's body is not used
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    const timer = setTimeout(
      () => r.destroy(new Error(`timed out after ${req.timeoutMs} ms`)),
      req.timeoutMs,
    );
    r.on('close', () => clearTimeout(timer));
    r.on('timeout', () => r.destroy(new Error(`timed out after ${req.timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  }).catch((err: Error & { code?: string }) => {
    throw new DeliveryFailure(`request failed: ${networkFailure(err, req.timeoutMs)}`, true);
  });
  if (status >= 200 && status < 300) return status;
  throw new DeliveryFailure(`HTTP ${status}`, status >= 500, status);
}

/**
 * A network failure in a few words. The run log shows it to the automation's owner, so it names a class
 * (not the library's message with the peer's address and port): enough to fix a receiver, too little to map
 * a network with.
 */
function networkFailure(err: Error & { code?: string }, timeoutMs: number): string {
  if (/timed out/.test(err.message)) return `timed out after ${timeoutMs} ms`;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'connection closed by the receiver';
  if (/certificate|SSL|TLS|self.signed/i.test(`${err.code ?? ''} ${err.message}`))
    return 'TLS handshake failed';
  return 'could not connect';
}
