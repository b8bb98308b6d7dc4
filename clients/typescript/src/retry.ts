import { retryAfterSeconds } from './errors.js';

export interface RetryOptions {
  /** Attempts after the first one; 0 turns retries off. Default 3. */
  maxRetries?: number;
  /** First wait for a 503 or a lost connection without `Retry-After`, doubled on each retry. Default 500 ms. */
  baseDelayMs?: number;
  /**
   * Longest wait. A `Retry-After` longer than this (an hourly rate-limit window has up to an hour left) is not
   * waited out: the 429 is returned at once, as a LeadHubApiError whose `retryAfter` says when to come back.
   * Default 30 000 ms.
   */
  maxDelayMs?: number;
  /** Called before each wait, e.g. to log it. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  method: string;
  url: string;
  /** The status that is retried (429, 503, or 409 for a POST whose key is in use), or undefined after a network error. */
  status?: number;
  error?: unknown;
}

export type FetchLike = (input: Request) => Promise<Response>;

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Methods whose repetition does no harm (RFC 9110 §9.2.2), so a lost reply can be retried blindly. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Wraps fetch: every POST gets an `Idempotency-Key` (unless the caller set one) that stays the same on all its
 * attempts, so the server replays the first result instead of writing twice. 429 and 503 are retried for every
 * method, 409 for POSTs (see retryable); a connection lost before the reply only where repeating is safe:
 * idempotent methods and keyed POSTs (never PATCH).
 */
export function retryingFetch(fetchImpl: FetchLike, options: RetryOptions = {}): FetchLike {
  const maxRetries = options.maxRetries ?? 3;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;

  return async (request: Request) => {
    if (request.method === 'POST' && !request.headers.has(IDEMPOTENCY_HEADER))
      request.headers.set(IDEMPOTENCY_HEADER, newIdempotencyKey());
    const keyed = request.method === 'POST';
    const repeatable = keyed || IDEMPOTENT.has(request.method);
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        // A Request's body can be read once: each attempt sends a copy, the original stays unread.
        response = await fetchImpl(request.clone());
      } catch (error) {
        if (attempt > maxRetries || !repeatable || request.signal.aborted) throw error;
        const delayMs = backoff(base, cap, attempt);
        options.onRetry?.({ attempt, delayMs, method: request.method, url: request.url, error });
        await sleep(delayMs, request.signal);
        continue;
      }
      if (!retryable(response.status, keyed) || attempt > maxRetries) return response;
      const asked = retryAfterSeconds(response.headers.get('retry-after'));
      const delayMs = asked === null ? backoff(base, cap, attempt) : asked * 1000;
      if (delayMs > cap) return response;
      options.onRetry?.({
        attempt,
        delayMs,
        method: request.method,
        url: request.url,
        status: response.status,
      });
      await response.body?.cancel(); // free the connection: this body is never read
      await sleep(delayMs, request.signal);
    }
  };
}

/**
 * 429 and 503: the server did not do the work. 409 on a keyed POST: the first request with this key is still
 * running (the server waited for it, then gave up); asking again returns its stored response once it is done.
 */
function retryable(status: number, keyed: boolean): boolean {
  return status === 429 || status === 503 || (keyed && status === 409);
}

/** Exponential backoff with jitter (half fixed, half random), so clients cut off together do not return together. */
function backoff(base: number, cap: number, attempt: number): number {
  const full = Math.min(cap, base * 2 ** (attempt - 1));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
  });
}

/** A random UUID (v4); built from getRandomValues where randomUUID is missing (pages served over plain http). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
