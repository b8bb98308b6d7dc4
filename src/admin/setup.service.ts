import { hash } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { User } from '../users/user.entity';

export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class SetupInputError extends Error {}

export interface NewAdmin {
  name: string;
  email: string;
  password: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a person's name, email and password (the setup page and the users page). */
export function checkNewAdmin(a: NewAdmin, passwordRequired = true): string | undefined {
  if (!a.name.trim() || a.name.length > 255) return 'Enter a name (at most 255 characters).';
  if (!EMAIL.test(a.email) || a.email.length > 320) return 'Enter a valid email address.';
  if ((passwordRequired || a.password) && (a.password.length < 12 || a.password.length > 1024))
    return 'The password needs at least 12 characters.';
  return undefined;
}

/**
 * One-time links that create a workspace's first admin (`/admin/setup?token=…`): valid until used or for 24 h,
 * stored as SHA-256 only. Printed by the first-start banner.
 */
@Injectable()
export class AdminSetupService {
  constructor(private readonly db: DataSource) {}

  async issue(workspaceId: number): Promise<string> {
    const token = `lhs_${randomBytes(32).toString('base64url')}`;
    await this.db.query(
      `INSERT INTO admin_setup_tokens (workspace_id, token_hash, expires_at)
       VALUES ($1, $2, now() + $3 * interval '1 millisecond')`,
      [workspaceId, sha256(token), SETUP_TOKEN_TTL_MS],
    );
    return token;
  }

  async isValid(token: string): Promise<boolean> {
    if (!token || token.length > 100) return false;
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM admin_setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()`,
      [sha256(token)],
    );
    return rows.length > 0;
  }

  /** Uses the token (once, even under concurrent posts) and creates the admin in the same transaction. */
  async complete(token: string, a: NewAdmin): Promise<void> {
    const problem = checkNewAdmin(a);
    if (problem) throw new SetupInputError(problem);
    const passwordHash = await hash(a.password);
    await this.db.transaction(async (m) => {
      // An UPDATE through TypeORM's query() answers [rows, count].
      const [rows]: [Array<{ workspace_id: number }>, number] = await m.query(
        `UPDATE admin_setup_tokens SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING workspace_id`,
        [sha256(token)],
      );
      if (!rows.length) throw new SetupInputError('This setup link is invalid, expired or already used.');
      const taken: unknown[] = await m.query(
        `SELECT 1 FROM users WHERE workspace_id = $1 AND lower(email) = lower($2)`,
        [rows[0].workspace_id, a.email],
      );
      if (taken.length) throw new SetupInputError('A user with this email already exists.');
      await m.getRepository(User).insert({
        workspaceId: rows[0].workspace_id,
        name: a.name.trim(),
        email: a.email.trim(),
        role: 'admin',
        isActive: true,
        passwordHash,
      });
    });
  }
}
