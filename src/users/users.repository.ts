import { Injectable } from '@nestjs/common';
import type { QueryDeepPartialEntity } from 'typeorm';
import { fieldOnConstraint, taken } from '../common/crud/database-errors';
import { likePattern } from '../common/crud/workspace-scope';
import type { Page } from '../common/pagination/paginated-response';
import { sortedPage } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import type { UserFiltersDto } from './dto/user.dto';
import { User } from './user.entity';

const UNIQUE = { UQ_users_workspace_email: taken('email') };
const SORT_COLUMNS = {
  name: 'lower(u.name)',
  email: 'lower(u.email)',
  created_at: 'u.created_at',
  updated_at: 'u.updated_at',
} as const;

/** Serialises the changes of one workspace's admins (see UsersService.keepingAnAdmin). */
const ADMINS_LOCK = 7142016;

/** `users` of the workspaces. */
@Injectable()
export class UsersRepository extends TxRepository {
  private get users() {
    return this.tx.getRepository(User);
  }

  list(workspaceId: number, q: UserFiltersDto): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u').where('u.workspace_id = :workspaceId', { workspaceId });
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.is_active !== undefined) qb.andWhere('u.is_active = :active', { active: q.is_active });
    if (q.search)
      qb.andWhere('(u.name ILIKE :search OR u.email ILIKE :search)', { search: likePattern(q.search) });
    return sortedPage(qb, 'u', q, SORT_COLUMNS);
  }

  findInWorkspace(workspaceId: number, id: number): Promise<User | null> {
    return this.users.findOneBy({ id, workspaceId });
  }

  /** Inserts the user (its id is set on it); an email the workspace has is a 422 on `email`. */
  async insert(user: Partial<User>): Promise<User> {
    const entity = this.users.create(user);
    await fieldOnConstraint(() => this.users.insert(entity), UNIQUE);
    return entity;
  }

  /** Writes only the given fields; returns whether the workspace had the user. */
  async update(workspaceId: number, id: number, patch: QueryDeepPartialEntity<User>): Promise<boolean> {
    const { affected } = await fieldOnConstraint(() => this.users.update({ id, workspaceId }, patch), UNIQUE);
    return !!affected;
  }

  async delete(workspaceId: number, id: number): Promise<boolean> {
    const { affected } = await this.users.delete({ id, workspaceId });
    return !!affected;
  }

  /**
   * Takes the workspace's admin-change lock (until the transaction ends), then tells whether `userId` is one of
   * its active admins and how many others there are.
   */
  async lockAdmins(workspaceId: number, userId: number): Promise<{ isAdmin: boolean; others: number }> {
    await this.tx.query(`SELECT pg_advisory_xact_lock(${ADMINS_LOCK}, $1)`, [workspaceId]);
    const rows: Array<{ leaving: boolean; others: number }> = await this.tx.query(
      `SELECT bool_or(id = $2) AS leaving, count(*) FILTER (WHERE id <> $2)::int AS others
         FROM users WHERE workspace_id = $1 AND role = 'admin' AND is_active`,
      [workspaceId, userId],
    );
    return { isAdmin: !!rows[0]?.leaving, others: rows[0]?.others ?? 0 };
  }
}
