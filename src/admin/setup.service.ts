import { Transactional } from '@nestjs-cls/transactional';
import { hash } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AdminRepository } from './admin.repository';

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
  constructor(private readonly admin: AdminRepository) {}

  async issue(workspaceId: number): Promise<string> {
    const token = `lhs_${randomBytes(32).toString('base64url')}`;
    await this.admin.insertSetupToken(workspaceId, sha256(token), SETUP_TOKEN_TTL_MS);
    return token;
  }

  async isValid(token: string): Promise<boolean> {
    if (!token || token.length > 100) return false;
    return this.admin.setupTokenValid(sha256(token));
  }

  /** Uses the token (once, even under concurrent posts) and creates the admin in the same transaction. */
  async complete(token: string, a: NewAdmin): Promise<void> {
    const problem = checkNewAdmin(a);
    if (problem) throw new SetupInputError(problem);
    const passwordHash = await hash(a.password);
    await this.createAdmin(token, a, passwordHash);
  }

  @Transactional()
  private async createAdmin(token: string, a: NewAdmin, passwordHash: string): Promise<void> {
    const workspaceId = await this.admin.useSetupToken(sha256(token));
    if (workspaceId === undefined)
      throw new SetupInputError('This setup link is invalid, expired or already used.');
    if (await this.admin.emailTaken(workspaceId, a.email))
      throw new SetupInputError('A user with this email already exists.');
    await this.admin.insertUser({
      workspaceId,
      name: a.name.trim(),
      email: a.email.trim(),
      role: 'admin',
      isActive: true,
      passwordHash,
    });
  }
}
