import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What our storages return: the throttler's record plus the absolute end of the window. */
export interface WindowRecord extends ThrottlerStorageRecord {
  /** Epoch milliseconds at which the current window ends. */
  resetAt: number;
}

export function toRecord(count: number, limit: number, resetAt: number, now = Date.now()): WindowRecord {
  const secs = Math.max(0, Math.ceil((resetAt - now) / 1000));
  const isBlocked = count > limit;
  return {
    totalHits: count,
    timeToExpire: secs,
    isBlocked,
    timeToBlockExpire: isBlocked ? secs : 0,
    resetAt,
  };
}

/** Reads a window's count without counting a hit (the admin panel's "requests used"). */
export interface WindowPeek {
  peek(key: string): Promise<number>;
}

/** The storage key of an API key's hourly window (rateKey: the first 24 hex characters of the key's hash). */
export const rateWindowKey = (rateKey: string) => `key:${rateKey}`;
