import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

export const DEFAULT_WORKSPACE = 'default';

/** What a first start did, for main.ts to print. */
export interface BootstrapResult {
  createdKey?: string;
  /** The workspace of a created key (where the first admin's setup link leads). */
  workspaceId?: number;
  ensuredKey?: boolean;
}

@Injectable()
export class BootstrapService {
  constructor(
    private readonly keyRows: ApiKeysRepository,
    private readonly workspaces: WorkspacesService,
    private readonly keys: ApiKeysService,
  ) {}

  /**
   * First start on an empty database: workspace `default` and one full-access key, shown once.
   * With LEADHUB_BOOTSTRAP_KEY: exactly that key exists instead. Serialised across instances.
   */
  @Transactional()
  async run(bootstrapKey?: string): Promise<BootstrapResult> {
    await this.keyRows.lockBootstrap();
    if (bootstrapKey) {
      const ws = await this.workspaces.ensure(DEFAULT_WORKSPACE, 'Default workspace');
      return { ensuredKey: await this.keys.ensure(ws, bootstrapKey, 'bootstrap') };
    }
    if ((await this.workspaces.count()) > 0) return {};
    const ws = await this.workspaces.ensure(DEFAULT_WORKSPACE, 'Default workspace');
    const { plaintext } = await this.keys.create({ workspace: ws, name: 'first-start key', scopes: ['*'] });
    return { createdKey: plaintext, workspaceId: ws.id };
  }
}
