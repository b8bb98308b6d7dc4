import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { MemoryWindowStorage } from './memory-window.storage';
import { toRecord, WindowPeek, WindowRecord } from './window-record';

// Atomic INCR that starts the window on the first hit; returns [count, ms left in the window].
const HIT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;

/** After a failed command, requests skip Redis this long before one tries it again (a blackholed Redis costs once). */
const RETRY_AFTER_MS = 5_000;
const WARN_EVERY_MS = 60_000;

type RedisWithHit = Redis & { leadhubHit(key: string, ttl: number): Promise<[number, number]> };

/** Whether the shared counters answer: what readiness reports. */
export type RedisState = 'ok' | 'unavailable';

/**
 * Fixed windows in Redis, shared by every instance: one round trip per request, exact under concurrency.
 *
 * Rate limiting must never take the API down with it: while Redis does not answer (refused, blackholed, restarting)
 * requests are counted in this process instead — exact per instance, not shared — with one warning a minute in
 * the log, and Redis is used again as soon as it answers (ioredis reconnects by itself).
 */
export class RedisWindowStorage implements ThrottlerStorage, WindowPeek, OnApplicationShutdown {
  private readonly redis: RedisWithHit;
  private readonly fallback = new MemoryWindowStorage();
  private readonly logger = new Logger('RateLimits');
  private skipUntil = 0;
  private degraded = false;
  private lastWarning = 0;

  constructor(
    redis: Redis,
    private readonly prefix = 'leadhub:rl:',
  ) {
    redis.defineCommand('leadhubHit', { numberOfKeys: 1, lua: HIT });
    redis.on('error', (err: Error) => this.degrade(err)); // else ioredis prints every reconnect failure
    this.redis = redis as RedisWithHit;
  }

  async increment(key: string, ttl: number, limit: number): Promise<WindowRecord> {
    if (this.usable()) {
      try {
        const [count, pttl] = await this.redis.leadhubHit(`${this.prefix}${key}`, ttl);
        this.recovered();
        const now = Date.now();
        return toRecord(count, limit, now + pttl, now);
      } catch (err) {
        this.degrade(err as Error);
      }
    } else {
      this.degrade(new Error(`connection ${this.redis.status}`));
    }
    return this.fallback.increment(key, ttl, limit);
  }

  /** A live check for readiness (PING, bounded by the command timeout). */
  async state(): Promise<RedisState> {
    if (this.redis.status !== 'ready') return 'unavailable';
    try {
      await this.redis.ping();
      return 'ok';
    } catch (err) {
      this.degrade(err as Error);
      return 'unavailable';
    }
  }

  private usable(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.skipUntil;
  }

  private degrade(err: Error) {
    const now = Date.now();
    if (this.redis.status === 'ready' && now >= this.skipUntil) this.skipUntil = now + RETRY_AFTER_MS;
    this.degraded = true;
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(
      `Redis is not answering (${err.message}): rate limits are counted in this process until it answers again`,
    );
  }

  private recovered() {
    if (!this.degraded) return;
    this.degraded = false;
    this.lastWarning = 0;
    this.logger.log('Redis answers again: rate limits are shared through it again');
  }

  /** A window's count without a hit (the admin panel); this process's count while Redis does not answer. */
  async peek(key: string): Promise<number> {
    if (this.usable()) {
      try {
        return Number((await this.redis.get(`${this.prefix}${key}`)) ?? 0);
      } catch (err) {
        this.degrade(err as Error);
      }
    }
    return this.fallback.peek(key);
  }

  onApplicationShutdown() {
    this.fallback.onApplicationShutdown();
    this.redis.disconnect();
  }
}
