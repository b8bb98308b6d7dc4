import { Transactional } from '@nestjs-cls/transactional';
import { hash } from '@node-rs/argon2';
import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateUserDto, UpdateUserDto, UserFiltersDto } from './dto/user.dto';
import { UserResponse } from './dto/user.response';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { found } from '../common/crud/found';

/** argon2id (the library's default algorithm) with its recommended parameters. */
const hashPassword = (password: string) => hash(password);

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  list(workspaceId: number, q: UserFiltersDto): Promise<Page<User>> {
    return this.users.list(workspaceId, q);
  }

  async get(workspaceId: number, id: number): Promise<User> {
    return found(await this.users.findInWorkspace(workspaceId, id), 'user');
  }

  async create(workspaceId: number, dto: CreateUserDto): Promise<User> {
    const user = await this.users.insert({
      workspaceId,
      name: dto.name,
      email: dto.email,
      role: dto.role ?? 'agent',
      isActive: dto.is_active ?? true,
      passwordHash: dto.password ? await hashPassword(dto.password) : null,
    });
    return this.get(workspaceId, user.id);
  }

  /**
   * Writes only the given fields (never a stale read-modify-write); the index decides email conflicts. A change
   * that would leave the workspace without an active admin is refused (422).
   */
  async update(workspaceId: number, id: number, dto: UpdateUserDto): Promise<User> {
    const patch: QueryDeepPartialEntity<User> = {};
    if (dto.name !== undefined) patch.name = dto.name;
    if (dto.email !== undefined) patch.email = dto.email;
    if (dto.role !== undefined) patch.role = dto.role;
    if (dto.is_active !== undefined) patch.isActive = dto.is_active;
    if (dto.password !== undefined)
      patch.passwordHash = dto.password === null ? null : await hashPassword(dto.password);
    const losesAdmin = (dto.role !== undefined && dto.role !== 'admin') || dto.is_active === false;
    if (Object.keys(patch).length) {
      await this.keepingAnAdmin(workspaceId, losesAdmin ? id : undefined, async () => {
        if (!(await this.users.update(workspaceId, id, patch))) throw ApiException.notFound('user');
      });
    }
    return this.get(workspaceId, id);
  }

  /** Their leads become unassigned (leads.assigned_user_id: ON DELETE SET NULL). */
  async remove(workspaceId: number, id: number): Promise<void> {
    await this.keepingAnAdmin(workspaceId, id, async () => {
      if (!(await this.users.delete(workspaceId, id))) throw ApiException.notFound('user');
    });
  }

  /**
   * Runs a change that may take user `leaving` out of the workspace's active admins, refusing it when that user
   * is the last one. Changes of one workspace's admins are serialised by an advisory lock, so two admins
   * demoting each other at once cannot both succeed.
   */
  @Transactional()
  private async keepingAnAdmin(
    workspaceId: number,
    leaving: number | undefined,
    change: () => Promise<void>,
  ): Promise<void> {
    if (leaving !== undefined) {
      const admins = await this.users.lockAdmins(workspaceId, leaving);
      if (admins.isAdmin && admins.others === 0)
        throw ApiException.field(
          'role',
          'This is the last active admin of the workspace: make another user an admin first.',
        );
    }
    await change();
  }
}

export function toUserResponse(u: User): UserResponse {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    is_active: u.isActive,
    created_at: isoTimestamp(u.createdAt),
    updated_at: isoTimestamp(u.updatedAt),
  };
}
