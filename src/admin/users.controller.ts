import { Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdParam } from '../common/crud/id.pipe';
import { ApiException } from '../common/errors/api.exception';
import { USER_ROLES, UserRole } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ADMIN_PATH, field, FormBody } from './admin-http';
import { AdminController, layoutOf, Session } from './admin.guard';
import type { AdminSession } from './session.service';
import { checkNewAdmin } from './setup.service';
import { redirect, sendPage } from './views';

const isRole = (r: string): r is UserRole => (USER_ROLES as readonly string[]).includes(r);

/** Settings → Users. The last-admin rule lives in UsersService (under a lock), not here. */
@AdminController('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async list(@Session() s: AdminSession, @Res() reply: FastifyReply, @Query('saved') saved?: string) {
    return this.page(reply, s, { notice: saved === '1' ? 'Saved.' : undefined });
  }

  @Post()
  async create(@Session() s: AdminSession, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const body = req.body as FormBody;
    const values = {
      name: field(body, 'name').trim(),
      email: field(body, 'email').trim(),
      role: field(body, 'role'),
    };
    const password = field(body, 'password');
    const problem =
      checkNewAdmin({ ...values, password }, false) ?? (isRole(values.role) ? undefined : 'Choose a role.');
    if (problem) return this.page(reply, s, { error: problem, values }, 422);
    try {
      await this.users.create(s.workspaceId, {
        name: values.name,
        email: values.email,
        role: values.role as UserRole,
        password: password || undefined,
      });
    } catch (err) {
      if (err instanceof ApiException && err.getStatus() < 500)
        return this.page(reply, s, { error: firstMessage(err), values }, err.getStatus());
      throw err;
    }
    return redirect(reply, `${ADMIN_PATH}/users?saved=1`);
  }

  @Post(':id')
  async update(
    @Session() s: AdminSession,
    @IdParam() id: number,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const body = req.body as FormBody;
    const role = field(body, 'role');
    if (!isRole(role)) return this.page(reply, s, { error: 'Choose a role.' }, 422);
    try {
      await this.users.update(s.workspaceId, id, { role, is_active: field(body, 'is_active') === 'on' });
    } catch (err) {
      if (err instanceof ApiException && err.getStatus() === 422)
        return this.page(reply, s, { error: firstMessage(err) }, 422);
      throw err;
    }
    return redirect(reply, `${ADMIN_PATH}/users?saved=1`);
  }

  private async page(reply: FastifyReply, s: AdminSession, extra: Record<string, unknown>, status = 200) {
    const { items } = await this.users.list(s.workspaceId, {
      page: 1,
      per_page: 500,
      sort: 'name',
      direction: 'asc',
    } as never);
    return sendPage(
      reply,
      'users',
      {
        ...layoutOf(s),
        title: 'Users',
        nav: 'users',
        users: items,
        roles: USER_ROLES,
        selfId: s.userId,
        values: {},
        ...extra,
      },
      status,
    );
  }
}

function firstMessage(err: ApiException): string {
  return Object.values(err.errors ?? {})[0]?.[0] ?? err.message;
}
