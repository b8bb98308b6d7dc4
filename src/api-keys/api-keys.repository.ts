import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';
import { ApiKey } from './api-key.entity';

/** Serialises first-start bootstraps across instances (see BootstrapService). */
const BOOTSTRAP_LOCK = 7142002;

/** `api_keys`. */
@Injectable()
export class ApiKeysRepository extends TxRepository {
  private get keys() {
    return this.tx.getRepository(ApiKey);
  }

  /** The key with this hash, with its workspace. */
  findByHash(hash: string): Promise<ApiKey | null> {
    return this.keys.findOne({ where: { keyHash: hash }, relations: { workspace: true } });
  }

  findById(id: number): Promise<ApiKey | null> {
    return this.keys.findOneBy({ id });
  }

  existsById(id: number): Promise<boolean> {
    return this.keys.existsBy({ id });
  }

  listForWorkspace(workspaceId: number): Promise<ApiKey[]> {
    return this.keys.find({ where: { workspaceId }, order: { id: 'ASC' } });
  }

  count(): Promise<number> {
    return this.keys.count();
  }

  /** The first 16 hex digits of the hashes of keys created since `since` (all when null), and the database's clock. */
  async hashPrefixesSince(since: Date | null): Promise<{ at: Date; prefixes: string[] }> {
    const [row]: { at: Date; prefixes: string[] }[] = await this.tx.query(
      `SELECT now() AS at, array(SELECT left(key_hash, 16) FROM api_keys
                                 WHERE $1::timestamptz IS NULL OR created_at > $1) AS prefixes`,
      [since],
    );
    return row;
  }

  /** Records when keys were last used (never moving a time back). */
  async touchLastUsed(ids: number[], times: string[]): Promise<void> {
    await this.tx.query(
      `UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, v.t), v.t)
         FROM unnest($1::int[], $2::timestamptz[]) AS v(id, t) WHERE k.id = v.id`,
      [ids, times],
    );
  }

  create(values: Partial<ApiKey>): Promise<ApiKey> {
    return this.keys.save(this.keys.create(values));
  }

  /** Inserts the key unless its hash exists; returns whether it did. */
  async insertIfAbsent(values: Partial<ApiKey>): Promise<boolean> {
    const result = await this.keys.createQueryBuilder().insert().values(values).orIgnore().execute();
    return (result.raw as unknown[]).length > 0;
  }

  async update(id: number, patch: Partial<Pick<ApiKey, 'name' | 'scopes' | 'rateLimit' | 'expiresAt'>>) {
    await this.keys.update({ id }, patch);
  }

  async revoke(id: number): Promise<void> {
    await this.tx.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  }

  /** Takes the bootstrap lock until the transaction ends. */
  async lockBootstrap(): Promise<void> {
    await this.tx.query(`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
  }
}
