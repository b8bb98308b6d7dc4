import { Command } from 'commander';
import { cliRepository, print, withDatabase } from './context';
import { cliWorkspaces, requireWorkspace } from './key-commands';

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
        const ws = await requireWorkspace(cliWorkspaces(db), o.workspace);
        const { AdminRepository } =
          require('../admin/admin.repository') as typeof import('../admin/admin.repository');
        const token = await new AdminSetupService(cliRepository(db, AdminRepository)).issue(ws.id);
        const url = `${publicBaseUrl(config, config.port)}/admin/setup?token=${token}`;
        print(!!o.json, { workspace: ws.slug, url, valid_hours: 24 }, () => url);
      });
    });
}
