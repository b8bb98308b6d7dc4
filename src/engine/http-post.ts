import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { resolvePublicUrl, UnsafeUrlError } from '../common/net/ssrf-guard';

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

export interface HttpAnswer {
  status: number;
  /** The start of the answer's body (at most 2 KiB), for error messages. */
  text: string;
}

const MAX_TEXT = 2048;

/**
 * POSTs to a URL a tenant entered. The URL is checked by the SSRF guard now (not only when it was saved) and
 * the connection goes to an address the check approved (no second DNS answer can redirect it); redirects
 * are not followed. Throws DeliveryFailure for a refused URL (retryable only when it did not resolve) and
 * network failures (retryable).
 */
export async function postGuarded(
  url: string,
  headers: Record<string, string | number>,
  body: string,
  timeoutMs: number,
  allowPrivate = false,
): Promise<HttpAnswer> {
  let target: { url: URL; addresses: string[] };
  try {
    target = await resolvePublicUrl(url, { allowPrivate });
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
  // A connection of its own (no keep-alive pool): each delivery resolves and checks its address anew.
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
    lookup,
    agent: false,
    timeout: timeoutMs,
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const r = send(target.url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < MAX_TEXT) text += c.slice(0, MAX_TEXT - text.length);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => r.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    r.on('close', () => clearTimeout(timer));
    r.on('timeout', () => r.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(body);
  }).catch((err: Error & { code?: string }) => {
    throw new DeliveryFailure(`request failed: ${networkFailure(err, timeoutMs)}`, true);
  });
}

/**
 * A request to an outside service whose base URL the operator configured (Mailgun, the Graph API): trusted,
 * so not put through the SSRF guard. Network failures throw a retryable DeliveryFailure.
 */
export async function requestTrusted(
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    const text = (await res.text()).slice(0, MAX_TEXT);
    return { status: res.status, text };
  } catch (err) {
    const e = err as Error & { code?: string; cause?: Error & { code?: string } };
    const cause = e.name === 'TimeoutError' ? new Error('timed out') : (e.cause ?? e);
    throw new DeliveryFailure(`request failed: ${networkFailure(cause, init.timeoutMs)}`, true);
  }
}

/** 5xx and 429 say "try again later"; other non-2xx answers are final. */
export function failureOf(answer: HttpAnswer, detail?: string): DeliveryFailure {
  const { status } = answer;
  return new DeliveryFailure(
    `HTTP ${status}${detail ? `: ${detail}` : ''}`,
    status >= 500 || status === 429,
    status,
  );
}

/**
 * A network failure in a few words. The delivery log shows it to the workspace, so it names a class (not the
 * library's message with the peer's address and port): enough to fix a receiver, too little to map a network.
 */
export function networkFailure(err: Error & { code?: string }, timeoutMs: number): string {
  if (/timed out/.test(err.message)) return `timed out after ${timeoutMs} ms`;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return 'connection closed by the receiver';
  if (/certificate|SSL|TLS|self.signed/i.test(`${err.code ?? ''} ${err.message}`))
    return 'TLS handshake failed';
  return 'could not connect';
}
