import { hash } from '@node-rs/argon2';
import { whereUpdated } from '../common/crud/sync-window';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { EntityManager, Repository } from 'typeorm';
import { uniquely } from '../common/crud/database-errors';
import { sqlDirection } from '../common/crud/sorting';
import { likePattern } from '../common/crud/like-pattern';
import { findInWorkspace } from '../common/crud/workspace-scope';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateUserDto, UpdateUserDto, UserFiltersDto } from './dto/user.dto';
import { UserResponse } from './dto/user.response';
import { User } from './user.entity';
import { ADVISORY_LOCK } from '../common/database/advisory-locks';

const UNIQUE = { UQ_users_workspace_email: 'email' };
const SORT_COLUMNS = {
  name: 'lower(u.name)',
  email: 'lower(u.email)',
  created_at: 'u.created_at',
  updated_at: 'u.updated_at',
} as const;

/** argon2id (the library's default algorithm) with its recommended parameters. */
const hashPassword = (password: string) => hash(password);

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async list(workspaceId: number, q: UserFiltersDto): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u').where('u.workspace_id = :workspaceId', { workspaceId });
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.is_active !== undefined) qb.andWhere('u.is_active = :active', { active: q.is_active });
    if (q.search)
      qb.andWhere('(u.name ILIKE :search OR u.email ILIKE :search)', { search: likePattern(q.search) });
    whereUpdated(qb, 'u', q);
    const dir = sqlDirection(q.direction);
    const [items, total] = await qb
      .orderBy(SORT_COLUMNS[q.sort], dir)
      .addOrderBy('u.id', dir)
      .offset((q.page - 1) * q.per_page)
      .limit(q.per_page)
      .getManyAndCount();
    return { items, total };
  }

  get(workspaceId: number, id: number): Promise<User> {
    return findInWorkspace(this.users, workspaceId, id, 'user');
  }

  async create(workspaceId: number, dto: CreateUserDto): Promise<User> {
    const user = this.users.create({
      workspaceId,
      name: dto.name,
      email: dto.email,
      role: dto.role ?? 'agent',
      isActive: dto.is_active ?? true,
      passwordHash: dto.password ? await hashPassword(dto.password) : null,
    });
    await uniquely(() => this.users.insert(user), UNIQUE);
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
      await this.keepingAnAdmin(workspaceId, losesAdmin ? id : undefined, async (m) => {
        const { affected } = await uniquely(() => m.update(User, { id, workspaceId }, patch), UNIQUE);
        if (!affected) throw ApiException.notFound('user');
      });
    }
    return this.get(workspaceId, id);
  }

  /** Their leads become unassigned (leads.assigned_user_id: ON DELETE SET NULL). */
  async remove(workspaceId: number, id: number): Promise<void> {
    await this.keepingAnAdmin(workspaceId, id, async (m) => {
      const { affected } = await m.delete(User, { id, workspaceId });
      if (!affected) throw ApiException.notFound('user');
    });
  }

  /**
   * Runs a change that may take user `leaving` out of the workspace's active admins, refusing it when that user
   * is the last one. Changes of one workspace's admins are serialised by an advisory lock, so two admins
   * demoting each other at once cannot both succeed.
   */
  private keepingAnAdmin(
    workspaceId: number,
    leaving: number | undefined,
    change: (m: EntityManager) => Promise<void>,
  ) {
    return this.users.manager.transaction(async (m) => {
      if (leaving !== undefined) {
        await m.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
          ADVISORY_LOCK.workspaceAdmins,
          workspaceId,
        ]);
        const rows: Array<{ leaving: boolean; others: number }> = await m.query(
          `SELECT bool_or(id = $2) AS leaving, count(*) FILTER (WHERE id <> $2)::int AS others
             FROM users WHERE workspace_id = $1 AND role = 'admin' AND is_active`,
          [workspaceId, leaving],
        );
        if (rows[0]?.leaving && rows[0].others === 0)
          throw ApiException.field(
            'role',
            'This is the last active admin of the workspace: make another user an admin first.',
          );
      }
      await change(m);
    });
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
