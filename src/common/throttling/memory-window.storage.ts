import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { toRecord, WindowPeek, WindowRecord } from './window-record';

/** Fixed windows in this process: exact, since increments never interleave on one event loop. */
export class MemoryWindowStorage implements ThrottlerStorage, WindowPeek, OnApplicationShutdown {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private readonly sweeper = setInterval(() => {
    const now = Date.now();
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }, 60_000).unref();

  async increment(key: string, ttl: number, limit: number): Promise<WindowRecord> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + ttl };
      this.windows.set(key, w);
    }
    w.count++;
    return toRecord(w.count, limit, w.resetAt, now);
  }

  async peek(key: string): Promise<number> {
    const w = this.windows.get(key);
    return w && w.resetAt > Date.now() ? w.count : 0;
  }

  onApplicationShutdown() {
    clearInterval(this.sweeper);
  }
}
