import { Command } from 'commander';
import { print, withDatabase } from './context';
import { requireWorkspace } from './key-commands';

export function registerAdminCommands(program: Command): void {
  program
    .command('admin:setup-link')
    .description(
      'Print a one-time link (valid 24 h) that creates an admin of the workspace in the admin panel ' +
        '(e.g. when the first-start link was lost or expired)',
    )
    .option('--workspace <slug>', 'workspace slug', 'default')
    .option('--json', 'print JSON')
    .action(async (o: { workspace: string; json?: boolean }) => {
      await withDatabase(async ({ config, db }) => {
        // Loaded when the command runs (see key-commands.ts).
        const { AdminSetupService } =
          require('../admin/setup.service') as typeof import('../admin/setup.service');
        const { publicBaseUrl } = require('../common/banner') as typeof import('../common/banner');
        const { Workspace } =
          require('../workspaces/workspace.entity') as typeof import('../workspaces/workspace.entity');
        const { WorkspacesService } =
          require('../workspaces/workspaces.service') as typeof import('../workspaces/workspaces.service');
        const ws = await requireWorkspace(new WorkspacesService(db.getRepository(Workspace)), o.workspace);
        const token = await new AdminSetupService(db).issue(ws.id);
        const url = `${publicBaseUrl(config, config.port)}/admin/setup?token=${token}`;
        print(!!o.json, { workspace: ws.slug, url, valid_hours: 24 }, () => url);
      });
    });
}
