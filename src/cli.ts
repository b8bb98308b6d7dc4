import './common/compile-cache';
import 'reflect-metadata';
import { Command } from 'commander';
import { registerAdminCommands } from './cli/admin-commands';
import { logToStderr } from './cli/cli-logger';
import { registerDataCommands, registerDemoCommand } from './cli/data-commands';
import { registerKeyCommands } from './cli/key-commands';
import { registerUserCommands } from './cli/user-commands';
import { APP_VERSION } from './common/app-version';

export function buildCli(): Command {
  const program = new Command('leadhub')
    .version(APP_VERSION)
    .description('Manage LeadHub: workspaces, API keys, users, demo data, backups');
  registerKeyCommands(program);
  registerUserCommands(program);
  registerAdminCommands(program);
  registerDataCommands(program);
  registerDemoCommand(program);
  return program;
}

export function runCli(argv: string[] = process.argv): void {
  logToStderr();
  buildCli()
    .parseAsync(argv)
    .then(() => process.exit(0))
    .catch((err: Error) => {
      const json = argv.includes('--json');
      process.stderr.write(
        json ? `${JSON.stringify({ error: err.message })}\n` : `leadhub: ${err.message}\n`,
      );
      process.exit(1);
    });
}

if (require.main === module) runCli();
