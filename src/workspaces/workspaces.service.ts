import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SLUG_PATTERN } from './workspace.constants';
import { Workspace } from './workspace.entity';

@Injectable()
export class WorkspacesService {
  constructor(@InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>) {}

  async create(slug: string, name: string): Promise<Workspace> {
    if (!SLUG_PATTERN.test(slug))
      throw new Error(`Invalid slug "${slug}": use lowercase letters, digits and dashes`);
    const inserted = await this.workspaces
      .createQueryBuilder()
      .insert()
      .values({ slug, name })
      .orIgnore()
      .returning('*')
      .execute();
    if (!inserted.identifiers.length || !inserted.identifiers[0])
      throw new Error(`Workspace "${slug}" already exists`);
    return this.workspaces.findOneByOrFail({ slug });
  }

  /** Creates the workspace unless it exists (first start, bootstrap key). */
  async ensure(slug: string, name: string): Promise<Workspace> {
    await this.workspaces.createQueryBuilder().insert().values({ slug, name }).orIgnore().execute();
    return this.workspaces.findOneByOrFail({ slug });
  }

  list(): Promise<Workspace[]> {
    return this.workspaces.find({ order: { id: 'ASC' } });
  }

  findBySlug(slug: string): Promise<Workspace | null> {
    return this.workspaces.findOneBy({ slug });
  }

  count(): Promise<number> {
    return this.workspaces.count();
  }
}
