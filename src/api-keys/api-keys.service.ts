import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import type { Principal } from '../common/auth/principal';
import { isKnownScope } from '../common/auth/scopes';
import { Workspace } from '../workspaces/workspace.entity';
import { ApiKey } from './api-key.entity';
import { displayPrefix, generateApiKey, hashApiKey, KEY_PATTERN } from './api-key.token';

export const DEFAULT_RATE_LIMIT = 1000;
/** How long a key lookup (or a miss) is cached in-process: revocation takes effect within this time. */
export const KEY_CACHE_TTL_MS = Number(process.env.LEADHUB_KEY_CACHE_TTL_MS ?? 5_000);
const LAST_USED_FLUSH_MS = 15_000;

export interface CreateKeyInput {
  workspace: Workspace;
  name: string;
  scopes: string[];
  rateLimit?: number;
  expiresAt?: Date | null;
  /** A given plaintext (bootstrap key); otherwise one is generated. */
  plaintext?: string;
}

@Injectable()
export class ApiKeysService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly cache = new LRUCache<string, { principal: Principal | null }>({
    max: 10_000,
    ttl: KEY_CACHE_TTL_MS,
  });
  /**
   * Misses (unknown or revoked keys) are cached apart, so a flood of random keys cannot evict the valid ones;
   * bounded, short-lived (a key created a moment ago works within the TTL).
   */
  private readonly misses = new LRUCache<string, true>({ max: 10_000, ttl: KEY_CACHE_TTL_MS });
  private readonly lastUsed = new Map<number, Date>();
  private flushTimer?: NodeJS.Timeout;

  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  onModuleInit() {
    this.flushTimer = setInterval(() => void this.flushLastUsed(), LAST_USED_FLUSH_MS).unref();
  }

  async onApplicationShutdown() {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }

  /** Resolves a bearer token to its principal; null for unknown, revoked or expired keys. */
  async authenticate(token: string): Promise<Principal | null> {
    if (!KEY_PATTERN.test(token) || token.length > 128) return null;
    const hash = hashApiKey(token);
    if (this.misses.has(hash)) return null;
    let entry = this.cache.get(hash);
    if (!entry) {
      entry = { principal: await this.lookup(hash) };
      if (entry.principal) this.cache.set(hash, entry);
      else this.misses.set(hash, true);
    }
    const p = entry.principal;
    if (!p || (p.expiresAt && p.expiresAt.getTime() <= Date.now())) return null;
    this.lastUsed.set(p.keyId, new Date());
    return p;
  }

  /** Whether this token is a valid key known without asking the database. */
  cached(token: string): boolean {
    if (!KEY_PATTERN.test(token) || token.length > 128) return false;
    return !!this.cache.get(hashApiKey(token))?.principal;
  }

  private async lookup(hash: string): Promise<Principal | null> {
    const key = await this.keys.findOne({ where: { keyHash: hash }, relations: { workspace: true } });
    if (!key || key.revokedAt || !key.workspace) return null;
    return {
      keyId: key.id,
      workspaceId: key.workspaceId,
      workspaceSlug: key.workspace.slug,
      scopes: key.scopes,
      rateLimit: key.rateLimit,
      rateKey: hash.slice(0, 24),
      expiresAt: key.expiresAt,
    };
  }

  /** last_used_at is written in batches, not once per request. */
  async flushLastUsed(): Promise<void> {
    if (!this.lastUsed.size) return;
    const batch = [...this.lastUsed.entries()];
    this.lastUsed.clear();
    const ids = batch.map(([id]) => id);
    const times = batch.map(([, t]) => t.toISOString());
    try {
      await this.keys.query(
        `UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, v.t), v.t)
           FROM unnest($1::int[], $2::timestamptz[]) AS v(id, t) WHERE k.id = v.id`,
        [ids, times],
      );
    } catch (err) {
      this.logger.warn(`could not record last_used_at: ${(err as Error).message}`);
    }
  }

  async create(input: CreateKeyInput): Promise<{ key: ApiKey; plaintext: string }> {
    const unknown = input.scopes.filter((s) => !isKnownScope(s));
    if (unknown.length) throw new Error(`Unknown scope(s): ${unknown.join(', ')}`);
    if (!input.scopes.length) throw new Error('A key needs at least one scope');
    const rateLimit = input.rateLimit ?? DEFAULT_RATE_LIMIT;
    if (!Number.isInteger(rateLimit) || rateLimit < 1)
      throw new Error('rate limit must be a positive integer');
    const plaintext = input.plaintext ?? generateApiKey();
    if (!KEY_PATTERN.test(plaintext))
      throw new Error('An API key is lh_ followed by at least 32 base62 characters');
    const key = await this.keys.save(
      this.keys.create({
        workspaceId: input.workspace.id,
        name: input.name,
        keyHash: hashApiKey(plaintext),
        prefix: displayPrefix(plaintext),
        scopes: [...new Set(input.scopes)],
        rateLimit,
        expiresAt: input.expiresAt ?? null,
      }),
    );
    return { key, plaintext };
  }

  /** Makes sure this exact key exists (LEADHUB_BOOTSTRAP_KEY); returns whether it was created now. */
  async ensure(workspace: Workspace, plaintext: string, name: string): Promise<boolean> {
    const result = await this.keys
      .createQueryBuilder()
      .insert()
      .values({
        workspaceId: workspace.id,
        name,
        keyHash: hashApiKey(plaintext),
        prefix: displayPrefix(plaintext),
        scopes: ['*'],
        rateLimit: DEFAULT_RATE_LIMIT,
      })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  listForWorkspace(workspaceId: number): Promise<ApiKey[]> {
    return this.keys.find({ where: { workspaceId }, order: { id: 'ASC' } });
  }

  async revoke(id: number): Promise<ApiKey | null> {
    await this.keys.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      id,
    ]);
    const key = await this.keys.findOneBy({ id });
    if (key)
      for (const [hash, entry] of this.cache.entries())
        if (entry.principal?.keyId === id) this.cache.delete(hash);
    return key;
  }

  count(): Promise<number> {
    return this.keys.count();
  }
}
