import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { Principal } from '../common/auth/principal';
import { ApiKeysService } from './api-keys.service';

/** Passport's `bearer` strategy (used by ApiKeyGuard): a key from the Authorization header → its Principal. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  // Keys are accepted from the Authorization header only: never from the query string or the body,
  // where they end up in logs and browser history.
  authenticate(req: { headers: Record<string, unknown> }, options?: unknown): void {
    super.authenticate({ headers: { authorization: req.headers.authorization } } as never, options as never);
  }

  async validate(token: string): Promise<Principal | false> {
    return (await this.apiKeys.authenticate(token)) ?? false;
  }
}
