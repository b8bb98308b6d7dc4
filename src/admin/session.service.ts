import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { newToken } from './csrf';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and this long after sign-in, whatever happens. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// last_seen_at is written at most this often per session (not on every page view).
const TOUCH_EVERY_MS = 30 * 1000;

export interface AdminSession {
  tokenHash: string;
  csrf: string;
  userId: number;
  name: string;
  email: string;
  workspaceId: number;
  workspaceSlug: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Server-side admin sessions. The cookie holds a random token; the table holds its SHA-256. Each request
 * re-reads the user, so a demoted, deactivated or deleted admin is signed out at once.
 */
@Injectable()
export class AdminSessionService {
  constructor(private readonly db: DataSource) {}

  async create(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.query(
      `DELETE FROM admin_sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1 * interval '1 millisecond'`,
      [SESSION_IDLE_MS],
    );
    await this.db.query(
      `INSERT INTO admin_sessions (token_hash, user_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')`,
      [sha256(token), userId, newToken(), SESSION_ABSOLUTE_MS],
    );
    return token;
  }

  /** The live session of a cookie value: null when unknown, idle too long, past its end, or no longer an admin's. */
  async resolve(token: string | undefined): Promise<AdminSession | null> {
    if (!token || token.length > 100) return null;
    const hash = sha256(token);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT s.csrf_token, s.last_seen_at, u.id AS user_id, u.name, u.email, u.workspace_id, w.slug
         FROM admin_sessions s
         JOIN users u ON u.id = s.user_id AND u.role = 'admin' AND u.is_active
         JOIN workspaces w ON w.id = u.workspace_id
        WHERE s.token_hash = $1 AND s.expires_at > now()
          AND s.last_seen_at > now() - $2 * interval '1 millisecond'`,
      [hash, SESSION_IDLE_MS],
    );
    const r = rows[0];
    if (!r) return null;
    if (Date.now() - new Date(r.last_seen_at as string).getTime() > TOUCH_EVERY_MS)
      await this.db.query(`UPDATE admin_sessions SET last_seen_at = now() WHERE token_hash = $1`, [hash]);
    return {
      tokenHash: hash,
      csrf: r.csrf_token as string,
      userId: r.user_id as number,
      name: r.name as string,
      email: r.email as string,
      workspaceId: r.workspace_id as number,
      workspaceSlug: r.slug as string,
    };
  }

  async destroy(tokenHash: string): Promise<void> {
    await this.db.query(`DELETE FROM admin_sessions WHERE token_hash = $1`, [tokenHash]);
  }
}
