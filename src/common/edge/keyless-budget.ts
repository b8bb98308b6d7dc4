import { LRUCache } from 'lru-cache';

const WINDOW_MS = 60_000;

/**
 * Requests per client address and minute to keyless operations (health, readiness, public forms, integration
 * receivers). Counted in this process only: these are cheap, frequent requests (probes) and a round trip to a
 * shared store for each would cost more than what it protects; with several instances the budget is per instance.
 */
export class KeylessBudget {
  private readonly windows = new LRUCache<string, { hits: number; resetAt: number }>({ max: 50_000 });

  /** perMinute 0: no budget. */
  constructor(private readonly perMinute: number) {}

  /** Counts one request; the end of the window (ms) when the address is over its budget, else undefined. */
  spend(ip: string, now = Date.now()): number | undefined {
    if (!this.perMinute) return undefined;
    let w = this.windows.get(ip);
    if (!w || w.resetAt <= now) {
      w = { hits: 0, resetAt: now + WINDOW_MS };
      this.windows.set(ip, w);
    }
    w.hits++;
    return w.hits > this.perMinute ? w.resetAt : undefined;
  }
}
