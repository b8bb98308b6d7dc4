import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { toRecord, WindowPeek, WindowRecord } from './window-record';

// Atomic INCR that starts the window on the first hit; returns [count, ms left in the window].
const HIT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;

type RedisWithHit = Redis & { leadhubHit(key: string, ttl: number): Promise<[number, number]> };

/** Fixed windows in Redis, shared by every instance: one round trip per request, exact under concurrency. */
export class RedisWindowStorage implements ThrottlerStorage, WindowPeek, OnApplicationShutdown {
  private readonly redis: RedisWithHit;

  constructor(
    redis: Redis,
    private readonly prefix = 'leadhub:rl:',
  ) {
    redis.defineCommand('leadhubHit', { numberOfKeys: 1, lua: HIT });
    this.redis = redis as RedisWithHit;
  }

  async increment(key: string, ttl: number, limit: number): Promise<WindowRecord> {
    const [count, pttl] = await this.redis.leadhubHit(`${this.prefix}${key}`, ttl);
    const now = Date.now();
    return toRecord(count, limit, now + pttl, now);
  }

  async peek(key: string): Promise<number> {
    return Number((await this.redis.get(`${this.prefix}${key}`)) ?? 0);
  }

  onApplicationShutdown() {
    this.redis.disconnect();
  }
}
