import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AdminRepository } from './admin.repository';
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
  constructor(private readonly admin: AdminRepository) {}

  async create(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.admin.purgeStaleSessions(SESSION_IDLE_MS);
    await this.admin.insertSession(sha256(token), userId, newToken(), SESSION_ABSOLUTE_MS);
    return token;
  }

  /** The live session of a cookie value: null when unknown, idle too long, past its end, or no longer an admin's. */
  async resolve(token: string | undefined): Promise<AdminSession | null> {
    if (!token || token.length > 100) return null;
    const hash = sha256(token);
    const r = await this.admin.findLiveSession(hash, SESSION_IDLE_MS);
    if (!r) return null;
    if (Date.now() - new Date(r.last_seen_at).getTime() > TOUCH_EVERY_MS) await this.admin.touchSession(hash);
    return {
      tokenHash: hash,
      csrf: r.csrf_token,
      userId: r.user_id,
      name: r.name,
      email: r.email,
      workspaceId: r.workspace_id,
      workspaceSlug: r.slug,
    };
  }

  async destroy(tokenHash: string): Promise<void> {
    await this.admin.deleteSession(tokenHash);
  }
}
