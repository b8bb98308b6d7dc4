import { hash, verify } from '@node-rs/argon2';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { AdminRepository } from './admin.repository';
import type { WindowRecord } from '../common/throttling/window-record';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Attempts per window and address (a shared office address gets some room)… */
export const SIGN_IN_PER_ADDRESS = 30;
/** …and per account, whatever the address (slow password guessing from many addresses). */
export const SIGN_IN_PER_ACCOUNT = 10;

export type SignInResult =
  | { ok: true; userId: number }
  | { ok: false; throttled: false }
  | { ok: false; throttled: true; retryAfterS: number };

/**
 * Password sign-in of admins. Both counters are taken before the password is checked (so parallel guesses
 * count too), in the rate-limit storage (Redis when configured: shared by every instance). An unknown email
 * costs one argon2 verification like a wrong password, and both answer the same.
 */
@Injectable()
export class SignInService implements OnModuleInit {
  private dummyHash = '';

  constructor(
    private readonly admin: AdminRepository,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {}

  async onModuleInit() {
    this.dummyHash = await hash('leadhub: no such account, verify anyway');
  }

  async attempt(address: string, email: string, password: string): Promise<SignInResult> {
    const account = email.trim().toLowerCase().slice(0, 320);
    const hits = await Promise.all([
      this.hit(`admin-signin:addr:${address}`, SIGN_IN_PER_ADDRESS),
      this.hit(`admin-signin:acct:${account}`, SIGN_IN_PER_ACCOUNT),
    ]);
    const blocked = hits.filter((h) => h.isBlocked);
    if (blocked.length) {
      const until = Math.max(...blocked.map((h) => h.resetAt));
      return { ok: false, throttled: true, retryAfterS: Math.max(1, Math.ceil((until - Date.now()) / 1000)) };
    }
    // The same email may be an admin in several workspaces; the first whose password matches signs in.
    const candidates = await this.admin.signInCandidates(account);
    if (!candidates.length) {
      await verify(this.dummyHash, password).catch(() => false);
      return { ok: false, throttled: false };
    }
    for (const c of candidates)
      if (await verify(c.password_hash!, password).catch(() => false)) return { ok: true, userId: c.id };
    return { ok: false, throttled: false };
  }

  private async hit(key: string, limit: number): Promise<WindowRecord> {
    return (await this.storage.increment(key, SIGN_IN_WINDOW_MS, limit, 0, 'admin-signin')) as WindowRecord;
  }
}
