import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';
import { Workspace } from './workspace.entity';

/** `workspaces`. */
@Injectable()
export class WorkspacesRepository extends TxRepository {
  private get workspaces() {
    return this.tx.getRepository(Workspace);
  }

  /** Inserts the workspace unless the slug exists; returns whether it did. */
  async insertIfAbsent(slug: string, name: string): Promise<boolean> {
    const inserted = await this.workspaces
      .createQueryBuilder()
      .insert()
      .values({ slug, name })
      .orIgnore()
      .returning('*')
      .execute();
    return !!inserted.identifiers.length && !!inserted.identifiers[0];
  }

  findBySlugOrFail(slug: string): Promise<Workspace> {
    return this.workspaces.findOneByOrFail({ slug });
  }

  findBySlug(slug: string): Promise<Workspace | null> {
    return this.workspaces.findOneBy({ slug });
  }

  list(): Promise<Workspace[]> {
    return this.workspaces.find({ order: { id: 'ASC' } });
  }

  count(): Promise<number> {
    return this.workspaces.count();
  }
}
