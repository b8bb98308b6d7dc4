import { Command } from 'commander';
import { print, withDatabaseUrl } from './context';

export function registerDataCommands(program: Command): void {
  program
    .command('db:url')
    .description(
      'Print a connection string of the database (for psql and other tools; starts the embedded one if needed)',
    )
    .action(() =>
      withDatabaseUrl(async (_config, url) => {
        print(false, url, () => url);
      }),
    );
}
