import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';
import { User } from '../users/user.entity';

/** An admin session as a request resolves it. */
export interface SessionRow {
  csrf_token: string;
  last_seen_at: Date | string;
  user_id: number;
  name: string;
  email: string;
  workspace_id: number;
  slug: string;
}

type Row = Record<string, unknown>;

/** The admin panel's tables (`admin_sessions`, `admin_setup_tokens`) and what its pages read of the others. */
@Injectable()
export class AdminRepository extends TxRepository {
  /** Drops sessions past their end or idle longer than `idleMs`. */
  async purgeStaleSessions(idleMs: number): Promise<void> {
    await this.tx.query(
      `DELETE FROM admin_sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1 * interval '1 millisecond'`,
      [idleMs],
    );
  }

  async insertSession(tokenHash: string, userId: number, csrf: string, lifetimeMs: number): Promise<void> {
    await this.tx.query(
      `INSERT INTO admin_sessions (token_hash, user_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`,
      [tokenHash, userId, csrf, lifetimeMs],
    );
  }

  /** The live session of an active admin (not past its end, not idle longer than `idleMs`). */
  async findLiveSession(tokenHash: string, idleMs: number): Promise<SessionRow | undefined> {
    const rows: SessionRow[] = await this.tx.query(
      `SELECT s.csrf_token, s.last_seen_at, u.id AS user_id, u.name, u.email, u.workspace_id, w.slug
         FROM admin_sessions s
         JOIN users u ON u.id = s.user_id AND u.role = 'admin' AND u.is_active
         JOIN workspaces w ON w.id = u.workspace_id
        WHERE s.token_hash = $1 AND s.expires_at > now()
          AND s.last_seen_at > now() - $2 * interval '1 millisecond'`,
      [tokenHash, idleMs],
    );
    return rows[0];
  }

  async touchSession(tokenHash: string): Promise<void> {
    await this.tx.query(`UPDATE admin_sessions SET last_seen_at = now() WHERE token_hash = $1`, [tokenHash]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.tx.query(`DELETE FROM admin_sessions WHERE token_hash = $1`, [tokenHash]);
  }

  async insertSetupToken(workspaceId: number, tokenHash: string, ttlMs: number): Promise<void> {
    await this.tx.query(
      `INSERT INTO admin_setup_tokens (workspace_id, token_hash, expires_at)
       VALUES ($1, $2, now() + $3 * interval '1 millisecond')`,
      [workspaceId, tokenHash, ttlMs],
    );
  }

  async setupTokenValid(tokenHash: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.query(
      `SELECT 1 FROM admin_setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    return rows.length > 0;
  }

  /** Marks a valid setup token used (once, even under concurrent posts); returns its workspace. */
  async useSetupToken(tokenHash: string): Promise<number | undefined> {
    // An UPDATE through TypeORM's query() answers [rows, count].
    const [rows]: [Array<{ workspace_id: number }>, number] = await this.tx.query(
      `UPDATE admin_setup_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING workspace_id`,
      [tokenHash],
    );
    return rows[0]?.workspace_id;
  }

  async emailTaken(workspaceId: number, email: string): Promise<boolean> {
    const taken: unknown[] = await this.tx.query(
      `SELECT 1 FROM users WHERE workspace_id = $1 AND lower(email) = lower($2)`,
      [workspaceId, email],
    );
    return taken.length > 0;
  }

  async insertUser(values: Partial<User>): Promise<void> {
    await this.tx.getRepository(User).insert(values);
  }

  /** Active admins with a password and this email (lower-cased), at most 5, oldest first. */
  signInCandidates(email: string): Promise<Array<{ id: number; password_hash: string | null }>> {
    return this.tx.query(
      `SELECT id, password_hash FROM users
        WHERE lower(email) = $1 AND role = 'admin' AND is_active AND password_hash IS NOT NULL
        ORDER BY id LIMIT 5`,
      [email],
    );
  }

  /** The overview page's numbers: leads of the last 30 days by status and source, recent runs and failures. */
  async overview(
    workspaceId: number,
  ): Promise<{ byStatus: Row[]; bySource: Row[]; runs: Row[]; failed: Row[] }> {
    const since = `now() - interval '30 days'`;
    const [byStatus, bySource, runs, failed]: Row[][] = await Promise.all([
      this.tx.query(
        `SELECT status AS label, count(*)::int AS n FROM leads
          WHERE workspace_id = $1 AND created_at > ${since} GROUP BY 1 ORDER BY 2 DESC, 1`,
        [workspaceId],
      ),
      this.tx.query(
        `SELECT coalesce(source, '(none)') AS label, count(*)::int AS n FROM leads
          WHERE workspace_id = $1 AND created_at > ${since} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`,
        [workspaceId],
      ),
      this.tx.query(
        `SELECT r.id, r.status, r.event_type, r.lead_id, r.error, r.created_at, a.name AS automation
           FROM automation_runs r LEFT JOIN automations a ON a.id = r.automation_id
          WHERE r.workspace_id = $1 ORDER BY r.id DESC LIMIT 10`,
        [workspaceId],
      ),
      this.tx.query(
        `SELECT d.id, d.url, d.event_type, d.attempts, d.last_status_code, d.last_error, d.updated_at
           FROM webhook_deliveries d
          WHERE d.workspace_id = $1 AND d.status = 'failed' ORDER BY d.updated_at DESC LIMIT 10`,
        [workspaceId],
      ),
    ]);
    return { byStatus, bySource, runs, failed };
  }
}
