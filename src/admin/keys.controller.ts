import { Get, Post, Query, Req, Res } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeysService, DEFAULT_RATE_LIMIT, KeyInputError } from '../api-keys/api-keys.service';
import { IdParam } from '../common/crud/id.pipe';
import { rateWindowKey, type WindowPeek } from '../common/throttling/window-record';
import { ADMIN_PATH, field, FormBody } from './admin-http';
import { AdminController, layoutOf, Session } from './admin.guard';
import { AdminNotFound } from './admin-errors';
import {
  KeyFormValues,
  keyFormValues,
  parseKeyForm,
  SCOPE_GROUPS,
  toLocalInput,
  WILDCARD_SCOPE,
} from './key-form';
import type { AdminSession } from './session.service';
import { redirect, sendPage } from './views';

/** Settings → API keys. */
@AdminController('admin/keys')
export class AdminKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {}

  @Get()
  async list(
    @Session() s: AdminSession,
    @Res() reply: FastifyReply,
    @Query('updated') updated?: string,
    @Query('revoked') revoked?: string,
  ) {
    const keys = await this.keys.listForWorkspace(s.workspaceId);
    const now = new Date();
    const rows = await Promise.all(
      keys.map(async (k) => ({
        key: k,
        used: k.revokedAt ? null : await this.used(k),
        status: k.revokedAt ? 'revoked' : ApiKeysService.isExpired(k, now) ? 'expired' : 'active',
      })),
    );
    return sendPage(reply, 'keys', {
      ...layoutOf(s),
      title: 'API keys',
      nav: 'keys',
      rows,
      notice: notice(keys, updated, revoked),
    });
  }

  @Get('new')
  newKey(@Session() s: AdminSession, @Res() reply: FastifyReply) {
    const values: KeyFormValues = {
      name: '',
      scopes: [],
      rateLimit: String(DEFAULT_RATE_LIMIT),
      expiresAt: '',
    };
    return this.form(reply, s, values);
  }

  @Post()
  async create(@Session() s: AdminSession, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const values = keyFormValues(req.body as FormBody);
    const parsed = parseKeyForm(values);
    if (parsed.error) return this.form(reply, s, values, undefined, parsed.error);
    try {
      const { key, plaintext } = await this.keys.create({
        workspace: { id: s.workspaceId } as never,
        name: values.name,
        scopes: values.scopes,
        rateLimit: parsed.rateLimit,
        expiresAt: parsed.expiresAt,
      });
      return sendPage(reply, 'key-created', {
        ...layoutOf(s),
        title: 'API key created',
        nav: 'keys',
        key,
        plaintext,
      });
    } catch (err) {
      if (err instanceof KeyInputError) return this.form(reply, s, values, undefined, err.message);
      throw err;
    }
  }

  @Get(':id/edit')
  async edit(@Session() s: AdminSession, @IdParam() id: number, @Res() reply: FastifyReply) {
    const key = await this.find(s, id);
    const values = {
      name: key.name,
      scopes: key.scopes,
      rateLimit: String(key.rateLimit),
      expiresAt: toLocalInput(key.expiresAt),
    };
    return this.form(reply, s, values, key);
  }

  @Post(':id')
  async update(
    @Session() s: AdminSession,
    @IdParam() id: number,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const key = await this.find(s, id);
    const values = keyFormValues(req.body as FormBody);
    const parsed = parseKeyForm(values);
    if (parsed.error) return this.form(reply, s, values, key, parsed.error);
    try {
      await this.keys.update(key.id, {
        name: values.name,
        scopes: values.scopes,
        rateLimit: parsed.rateLimit,
        // An expiry left as shown stays exactly as stored (even one already past, when only the name changes).
        expiresAt: values.expiresAt === toLocalInput(key.expiresAt) ? undefined : parsed.expiresAt,
      });
    } catch (err) {
      if (err instanceof KeyInputError) return this.form(reply, s, values, key, err.message);
      throw err;
    }
    return redirect(reply, `${ADMIN_PATH}/keys?updated=${key.id}`);
  }

  /** Without JavaScript the first post shows a confirmation page; the confirm dialog sends `confirm=yes` at once. */
  @Post(':id/revoke')
  async revoke(
    @Session() s: AdminSession,
    @IdParam() id: number,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const key = await this.find(s, id);
    if (field(req.body as FormBody, 'confirm') !== 'yes')
      return sendPage(reply, 'confirm', {
        ...layoutOf(s),
        title: 'Revoke API key',
        nav: 'keys',
        question: `Revoke the key "${key.name}" (${key.prefix}…)? Programs using it stop working within seconds. This cannot be undone.`,
        action: `${ADMIN_PATH}/keys/${key.id}/revoke`,
        button: 'Revoke key',
        cancel: `${ADMIN_PATH}/keys`,
      });
    await this.keys.revoke(key.id);
    return redirect(reply, `${ADMIN_PATH}/keys?revoked=${key.id}`);
  }

  private form(reply: FastifyReply, s: AdminSession, values: KeyFormValues, key?: ApiKey, error?: string) {
    return sendPage(
      reply,
      'key-form',
      {
        ...layoutOf(s),
        title: key ? `Edit API key ${key.name}` : 'Create an API key',
        nav: 'keys',
        key,
        values,
        error,
        groups: SCOPE_GROUPS,
        wildcard: WILDCARD_SCOPE,
      },
      error ? 422 : 200,
    );
  }

  private async find(s: AdminSession, id: number): Promise<ApiKey> {
    const key = (await this.keys.listForWorkspace(s.workspaceId)).find((k) => k.id === id);
    if (!key) throw new AdminNotFound();
    return key;
  }

  /** Requests counted in the key's current hourly window (the same storage the API's rate limit uses). */
  private async used(k: ApiKey): Promise<number | null> {
    const peek = (this.storage as Partial<WindowPeek>).peek;
    return peek ? peek.call(this.storage, rateWindowKey(k.keyHash.slice(0, 24))) : null;
  }
}

function notice(keys: ApiKey[], updated?: string, revoked?: string): string | undefined {
  const name = (id?: string) => keys.find((k) => String(k.id) === id)?.name;
  if (name(updated)) return `Saved the key "${name(updated)}". Running servers apply it within seconds.`;
  if (name(revoked)) return `Revoked the key "${name(revoked)}".`;
  return undefined;
}
