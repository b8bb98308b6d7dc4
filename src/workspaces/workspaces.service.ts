import { Injectable } from '@nestjs/common';
import type { Workspace } from './workspace.entity';
import { WorkspacesRepository } from './workspaces.repository';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

@Injectable()
export class WorkspacesService {
  constructor(private readonly workspaces: WorkspacesRepository) {}

  async create(slug: string, name: string): Promise<Workspace> {
    if (!SLUG_PATTERN.test(slug))
      throw new Error(`Invalid slug "${slug}": use lowercase letters, digits and dashes`);
    if (!(await this.workspaces.insertIfAbsent(slug, name)))
      throw new Error(`Workspace "${slug}" already exists`);
    return this.workspaces.findBySlugOrFail(slug);
  }

  /** Creates the workspace unless it exists (first start, bootstrap key). */
  async ensure(slug: string, name: string): Promise<Workspace> {
    await this.workspaces.insertIfAbsent(slug, name);
    return this.workspaces.findBySlugOrFail(slug);
  }

  list(): Promise<Workspace[]> {
    return this.workspaces.list();
  }

  findBySlug(slug: string): Promise<Workspace | null> {
    return this.workspaces.findBySlug(slug);
  }

  count(): Promise<number> {
    return this.workspaces.count();
  }
}
