import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { TxRepository } from '../../database/tx-repository';

export const REPLAY_HOURS = 24;

export interface StoredResponse {
  request_hash: string;
  status: number;
  body: unknown;
  location: string | null;
}

/** `idempotency_keys`: the stored responses of idempotent POSTs and the per-key advisory lock. */
@Injectable()
export class IdempotencyRepository extends TxRepository {
  /**
   * The key's transaction-scoped lock: exclusively when free ('first'), else a shared wait of at most
   * `waitMs` ('waited' once the holder finished, 'timeout' when it did not).
   */
  async lock(name: string, waitMs: number): Promise<'first' | 'waited' | 'timeout'> {
    const [{ got }] = await this.tx.query(
      'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS got',
      [name],
    );
    if (got) return 'first';
    await this.tx.query(`SET LOCAL lock_timeout = ${Math.trunc(waitMs)}`);
    try {
      await this.tx.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [name]);
    } catch (err) {
      const code = err instanceof QueryFailedError ? (err.driverError as { code?: string }).code : undefined;
      if (code === '55P03') return 'timeout';
      throw err;
    }
    await this.tx.query('SET LOCAL lock_timeout = 0');
    return 'waited';
  }

  /** The response stored for the key within the replay window. */
  async findRecent(keyId: number, key: string): Promise<StoredResponse | undefined> {
    const [stored]: StoredResponse[] = await this.tx.query(
      `SELECT request_hash, status, body, location FROM idempotency_keys
        WHERE api_key_id = $1 AND key = $2 AND created_at > now() - interval '${REPLAY_HOURS} hours'`,
      [keyId, key],
    );
    return stored;
  }

  /** Stores (or replaces an expired) response for the key. */
  async store(keyId: number, key: string, r: StoredResponse): Promise<void> {
    await this.tx.query(
      `INSERT INTO idempotency_keys (api_key_id, key, request_hash, status, body, location)
       VALUES ($1, $2, $3, $4, $5::json, $6)
       ON CONFLICT (api_key_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, body = EXCLUDED.body,
             location = EXCLUDED.location, created_at = now()`,
      [keyId, key, r.request_hash, r.status, JSON.stringify(r.body ?? null), r.location],
    );
  }

  /** Deletes records past the replay window; returns how many. */
  async purgeExpired(): Promise<number> {
    const [, count] = (await this.tx.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - interval '${REPLAY_HOURS} hours'`,
    )) as [unknown, number];
    return count;
  }
}
