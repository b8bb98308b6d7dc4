import { setTimeout as sleep } from 'node:timers/promises';

/** The first 16 hex digits (64 bits) of a key hash: enough to tell keys apart, small to hold. */
const PREFIX = 16;
/** Keys created this long before the previous load are read again (a creating transaction still open then). */
const OVERLAP_MS = 60_000;

/** Prefixes of key hashes created since `since` (all when null), and the database's clock at that read. */
export type KeyHashLoader = (since: Date | null) => Promise<{ at: Date; prefixes: string[] }>;

/**
 * Which key hashes exist at all (revoked ones too: this only decides whether a lookup can succeed), held in memory
 * so that a flood of random keys from a throttled address costs no query per key. Loaded on first use, then
 * incrementally (keys created since the last load, with an overlap); a key created by this process is added at
 * once, one created elsewhere (the CLI, another instance) is seen by the next load. A question about an unknown
 * hash waits for a load that started after it was asked — so a key that existed when the request arrived is always
 * found — and loads are coalesced, at most one per `minIntervalMs`, however many keys are asked about.
 */
export class KnownKeyHashes {
  private readonly prefixes = new Set<string>();
  private loadedAt: Date | null = null;
  private last: { start: number; done: Promise<void> } = { start: -Infinity, done: Promise.resolve() };

  constructor(
    private readonly loader: KeyHashLoader,
    private readonly minIntervalMs = 1000,
  ) {}

  /** Whether a key with this hash may exist (false: it certainly did not when asked). */
  async mayExist(hash: string): Promise<boolean> {
    const prefix = hash.slice(0, PREFIX);
    if (this.prefixes.has(prefix)) return true;
    await this.loadStartingAfter(Date.now());
    return this.prefixes.has(prefix);
  }

  /** A key this process created. */
  add(hash: string): void {
    this.prefixes.add(hash.slice(0, PREFIX));
  }

  /** Resolves once a load that started at or after `t` has finished (joining a planned one when it qualifies). */
  private loadStartingAfter(t: number): Promise<void> {
    if (this.last.start >= t) return this.last.done;
    const previous = this.last;
    const start = Math.max(t, previous.start + this.minIntervalMs);
    const done = (async () => {
      await previous.done.catch(() => undefined);
      const wait = start - Date.now();
      if (wait > 0) await sleep(wait);
      await this.load();
    })();
    this.last = { start, done };
    return done;
  }

  private async load(): Promise<void> {
    const since = this.loadedAt && new Date(this.loadedAt.getTime() - OVERLAP_MS);
    const { at, prefixes } = await this.loader(since);
    for (const p of prefixes) this.prefixes.add(p.slice(0, PREFIX));
    this.loadedAt = at;
  }
}
