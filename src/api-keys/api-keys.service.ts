import { Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Principal } from '../common/auth/principal';
import { ALL_SCOPES, isKnownScope, WILDCARD_SCOPE } from '../common/auth/scopes';
import { AppConfig } from '../config/app-config';
import { Workspace } from '../workspaces/workspace.entity';
import type { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { displayPrefix, generateApiKey, hashApiKey, KEY_PATTERN } from './api-key.token';
import { KnownKeyHashes } from './known-key-hashes';

export const DEFAULT_RATE_LIMIT = 1000;
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

export interface UpdateKeyInput {
  name?: string;
  scopes?: string[];
  rateLimit?: number;
  expiresAt?: Date | null;
}

/** Bad input for a key (unknown scope, past expiry…): the CLI and the admin panel show the message as is. */
export class KeyInputError extends Error {}

function checkScopes(scopes: string[]): string[] {
  const unknown = scopes.filter((s) => !isKnownScope(s));
  if (unknown.length)
    throw new KeyInputError(
      `Unknown scope(s): ${unknown.join(', ')}. Valid scopes: ${[WILDCARD_SCOPE, ...ALL_SCOPES].join(', ')}`,
    );
  if (!scopes.length) throw new KeyInputError('A key needs at least one scope');
  return scopes;
}

function checkRateLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647)
    throw new KeyInputError('The rate limit must be a positive integer (requests per hour)');
  return n;
}

function checkExpiry(at: Date): Date {
  if (Number.isNaN(at.getTime())) throw new KeyInputError('The expiry must be an ISO 8601 date-time');
  if (at.getTime() <= Date.now())
    throw new KeyInputError(`The expiry ${at.toISOString()} is in the past; give a future date-time`);
  return at;
}

@Injectable()
export class ApiKeysService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeysService.name);
  /** Valid keys cached in-process: revocation takes effect within LEADHUB_KEY_CACHE_TTL_MS. */
  private readonly cache: LRUCache<string, { principal: Principal | null }>;
  /**
   * Misses (unknown or revoked keys) are cached apart, so a flood of random keys cannot evict the valid ones;
   * bounded, short-lived (a key created a moment ago works within the TTL).
   */
  private readonly misses: LRUCache<string, true>;
  /** Which keys exist at all: lets a throttled address's random keys be refused without a query each. */
  private readonly known = new KnownKeyHashes((since) => this.keys.hashPrefixesSince(since));
  private readonly lastUsed = new Map<number, Date>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly keys: ApiKeysRepository,
    @Optional() config?: AppConfig,
  ) {
    const ttl = Math.max(1, config?.keyCacheTtlMs ?? 5_000);
    this.cache = new LRUCache({ max: 10_000, ttl });
    this.misses = new LRUCache({ max: 10_000, ttl });
  }

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

  /**
   * Whether this token may be a valid key, answered without a query per token (the in-memory set of existing key
   * hashes, reloaded at most once a second when asked about an unknown one): false only for tokens that are
   * malformed, known misses, or match no key that existed when asked. For callers that must not spend a lookup on
   * every random token (a throttled address), yet must never refuse a valid key.
   */
  async mayBeKey(token: string): Promise<boolean> {
    if (!KEY_PATTERN.test(token) || token.length > 128) return false;
    const hash = hashApiKey(token);
    if (this.misses.has(hash)) return false;
    return this.cache.has(hash) || this.known.mayExist(hash);
  }

  private async lookup(hash: string): Promise<Principal | null> {
    const key = await this.keys.findByHash(hash);
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
      await this.keys.touchLastUsed(ids, times);
    } catch (err) {
      this.logger.warn(`could not record last_used_at: ${(err as Error).message}`);
    }
  }

  async create(input: CreateKeyInput): Promise<{ key: ApiKey; plaintext: string }> {
    checkScopes(input.scopes);
    const rateLimit = input.rateLimit ?? DEFAULT_RATE_LIMIT;
    checkRateLimit(rateLimit);
    if (input.expiresAt) checkExpiry(input.expiresAt);
    const plaintext = input.plaintext ?? generateApiKey();
    if (!KEY_PATTERN.test(plaintext))
      throw new KeyInputError('An API key is lh_ followed by at least 32 base62 characters');
    const key = await this.keys.create({
      workspaceId: input.workspace.id,
      name: input.name,
      keyHash: hashApiKey(plaintext),
      prefix: displayPrefix(plaintext),
      scopes: [...new Set(input.scopes)],
      rateLimit,
      expiresAt: input.expiresAt ?? null,
    });
    this.known.add(key.keyHash);
    return { key, plaintext };
  }

  /** Makes sure this exact key exists (LEADHUB_BOOTSTRAP_KEY); returns whether it was created now. */
  async ensure(workspace: Workspace, plaintext: string, name: string): Promise<boolean> {
    const inserted = await this.keys.insertIfAbsent({
      workspaceId: workspace.id,
      name,
      keyHash: hashApiKey(plaintext),
      prefix: displayPrefix(plaintext),
      scopes: ['*'],
      rateLimit: DEFAULT_RATE_LIMIT,
    });
    this.known.add(hashApiKey(plaintext));
    return inserted;
  }

  listForWorkspace(workspaceId: number): Promise<ApiKey[]> {
    return this.keys.listForWorkspace(workspaceId);
  }

  async revoke(id: number): Promise<ApiKey | null> {
    await this.keys.revoke(id);
    const key = await this.keys.findById(id);
    if (key) this.forget(id);
    return key;
  }

  /**
   * Changes a key's name, scopes, rate limit or expiry (null: never expires); null when there is no such key.
   * Running servers see the change within LEADHUB_KEY_CACHE_TTL_MS. (The CLI's key:update; the admin panel.)
   */
  async update(id: number, change: UpdateKeyInput): Promise<ApiKey | null> {
    const patch: Partial<Pick<ApiKey, 'name' | 'scopes' | 'rateLimit' | 'expiresAt'>> = {};
    if (change.name !== undefined) {
      if (!change.name.trim()) throw new KeyInputError('A key needs a name');
      patch.name = change.name.trim();
    }
    if (change.scopes !== undefined) patch.scopes = [...new Set(checkScopes(change.scopes))];
    if (change.rateLimit !== undefined) patch.rateLimit = checkRateLimit(change.rateLimit);
    if (change.expiresAt !== undefined)
      patch.expiresAt = change.expiresAt === null ? null : checkExpiry(change.expiresAt);
    if (!(await this.keys.existsById(id))) return null;
    if (Object.keys(patch).length) await this.keys.update(id, patch);
    this.forget(id);
    return this.keys.findById(id);
  }

  /** Whether a key can no longer authenticate because of its expiry. */
  static isExpired(key: Pick<ApiKey, 'expiresAt'>, now = new Date()): boolean {
    return !!key.expiresAt && key.expiresAt.getTime() <= now.getTime();
  }

  private forget(id: number) {
    for (const [hash, entry] of this.cache.entries())
      if (entry.principal?.keyId === id) this.cache.delete(hash);
  }

  count(): Promise<number> {
    return this.keys.count();
  }
}
