import { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseClient } from '../database/pg-client';
import { APP_VERSION } from '../common/app-version';
import type * as SecretBoxModule from '../common/crypto/secret-box';
import { AppConfig } from '../config/app-config';
import { readBackup, writeBackup } from '../database/backup-file';
import { migrationName, runMigrations } from '../database/data-source';
import { loadRows, nonEmptyTables, openSnapshot, tablesInOrder, TableChunk } from '../database/logical-copy';
import { MIGRATIONS } from '../database/migrations';
import { print, withDatabaseUrl } from './context';

// secret-box pulls in @nestjs/common: loaded by the commands that need it only.
const secrets = () => require('../common/crypto/secret-box') as typeof SecretBoxModule;

const warn = (line: string) => process.stderr.write(`leadhub: WARNING: ${line}\n`);

/**
 * Loads rows into the database at `url`: schema by the migrations up to the source's level, refused when the
 * target holds data (unless `force`: then emptied first), then the remaining migrations.
 */
async function loadInto(
  url: string,
  source: {
    migrations: string[];
    chunks: AsyncIterable<TableChunk>;
    sequences: { name: string; lastValue: string | null }[];
  },
  force: boolean,
): Promise<Record<string, number>> {
  const known = new Set(MIGRATIONS.map(migrationName));
  const newer = source.migrations.filter((m) => !known.has(m));
  if (newer.length)
    throw new Error(`the data comes from a newer LeadHub (migrations ${newer.join(', ')}): upgrade first`);
  await runMigrations(url, source.migrations);
  const c = new DatabaseClient({ connectionString: url });
  await c.connect();
  try {
    const tables = await tablesInOrder(c);
    const busy = await nonEmptyTables(c);
    if (busy.length && !force)
      throw new Error(
        `the target database is not empty (${busy.join(', ')}); use an empty one, or --force to replace its data`,
      );
    if (busy.length)
      await c.query(`TRUNCATE ${tables.map((t) => `public."${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
    const counts = await loadRows(c, tables, source.chunks, source.sequences);
    await c.end();
    await runMigrations(url);
    return counts;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Decides where the backup's key goes (refusing a different DATA_DIR/secret.key without --force) before any
 * data is loaded; the returned step installs it once the data is in.
 */
function planSecretKey(config: AppConfig, key: string | null, force: boolean): () => string {
  if (!key)
    return () =>
      'The backup holds no secret key: integration and webhook secrets stay encrypted with the key it was made with.';
  const { parseSecretKey } = secrets();
  const bytes = parseSecretKey(key, 'the backup key');
  if (config.secretKey) {
    if (parseSecretKey(config.secretKey, 'LEADHUB_SECRET_KEY').equals(bytes))
      return () => 'LEADHUB_SECRET_KEY matches the backup key.';
    return () => {
      warn('LEADHUB_SECRET_KEY differs from the key in the backup: integration secrets will not decrypt.');
      return 'Set LEADHUB_SECRET_KEY to the backup key (restore without LEADHUB_SECRET_KEY writes it to DATA_DIR/secret.key).';
    };
  }
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) {
    if (parseSecretKey(readFileSync(file, 'utf8'), file).equals(bytes))
      return () => `${file} matches the backup key.`;
    if (!force)
      throw new Error(`${file} holds another key; --force keeps it as ${file}.old and installs the backup's`);
  }
  return () => {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    if (existsSync(file)) renameSync(file, `${file}.old`);
    writeFileSync(file, `${bytes.toString('base64')}\n`, { mode: 0o600 });
    if (config.databaseUrl)
      warn(`other instances sharing this database need the same key: LEADHUB_SECRET_KEY=$(cat ${file})`);
    return `Installed the backup's secret key in ${file}.`;
  };
}

export function registerDataCommands(program: Command): void {
  program
    .command('db:url')
    .description('Print a connection string of the database (for psql and other tools)')
    .action(() => withDatabaseUrl(async (_config, url) => print(false, url, () => url)));

  program
    .command('backup')
    .description(
      'Write a consistent backup of all data (and the secret key) to a file; safe while the server runs',
    )
    .requiredOption('--out <file>', 'the backup file to write (gzip-compressed JSON lines)')
    .option(
      '--without-secret-key',
      'leave the encryption key out (integration secrets then need it from elsewhere)',
    )
    .option('--json', 'print JSON')
    .action((o: { out: string; withoutSecretKey?: boolean; json?: boolean }) =>
      withDatabaseUrl(async (config, url) => {
        const key = o.withoutSecretKey ? null : secrets().loadSecretKey(config).toString('base64');
        const snapshot = await openSnapshot(url);
        let counts: Record<string, number>;
        try {
          counts = await writeBackup(
            o.out,
            { created_at: new Date().toISOString(), app_version: APP_VERSION, secret_key: key },
            snapshot,
          );
        } finally {
          await snapshot.close();
        }
        if (!key)
          warn(
            'the backup does NOT include the secret key: keep LEADHUB_SECRET_KEY / DATA_DIR/secret.key safe too.',
          );
        const rows = Object.values(counts).reduce((a, b) => a + b, 0);
        print(
          !!o.json,
          { file: o.out, tables: counts, rows, secret_key_included: !!key },
          () =>
            `Wrote ${o.out}: ${rows} rows in ${Object.keys(counts).length} tables` +
            (key ? ', with the secret key (keep the file private)' : ', WITHOUT the secret key'),
        );
      }),
    );

  program
    .command('restore')
    .description(
      'Restore a backup into an empty database (stop the server first); --force replaces existing data',
    )
    .requiredOption('--in <file>', 'a file written by `leadhub backup`')
    .option(
      '--force',
      'replace the data of a database that is not empty (and a different DATA_DIR/secret.key)',
    )
    .option('--json', 'print JSON')
    .action(async (o: { in: string; force?: boolean; json?: boolean }) => {
      const backup = await readBackup(o.in);
      try {
        await withDatabaseUrl(async (config, url) => {
          const installKey = planSecretKey(config, backup.header.secret_key, !!o.force);
          const counts = await loadInto(
            url,
            {
              migrations: backup.header.migrations,
              chunks: backup.chunks,
              sequences: backup.header.sequences,
            },
            !!o.force,
          );
          const keyNote = installKey();
          const rows = Object.values(counts).reduce((a, b) => a + b, 0);
          print(
            !!o.json,
            { file: o.in, tables: counts, rows, secret_key: keyNote },
            () => `Restored ${rows} rows from ${o.in}. ${keyNote}`,
          );
        });
      } finally {
        backup.close();
      }
    });

  program
    .command('db:copy')
    .description(
      'Copy this installation (e.g. the embedded database) into a PostgreSQL server: schema, data, sequences',
    )
    .requiredOption('--to <url>', 'postgres:// URL of an empty database')
    .option('--force', 'replace the data of a target that is not empty')
    .option('--json', 'print JSON')
    .action((o: { to: string; force?: boolean; json?: boolean }) =>
      withDatabaseUrl(async (config, url) => {
        if (!/^postgres(ql)?:\/\//.test(o.to)) throw new Error('--to must be a postgres:// URL');
        const snapshot = await openSnapshot(url);
        let counts: Record<string, number>;
        try {
          counts = await loadInto(
            o.to,
            { migrations: snapshot.migrations, chunks: snapshot.chunks(), sequences: snapshot.sequences },
            !!o.force,
          );
        } finally {
          await snapshot.close();
        }
        const keyFile = join(config.dataDir, 'secret.key');
        const next = config.secretKey
          ? 'Start the servers with DATABASE_URL set to the target and the same LEADHUB_SECRET_KEY.'
          : `Start the servers with DATABASE_URL set to the target and LEADHUB_SECRET_KEY=$(cat ${keyFile}) (integration secrets are encrypted with it).`;
        const rows = Object.values(counts).reduce((a, b) => a + b, 0);
        print(!!o.json, { tables: counts, rows, next }, () => `Copied ${rows} rows. ${next}`);
      }),
    );
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Fill a new workspace with realistic demo data (pipelines, tags, users, leads, a form, automations)',
    )
    .option('--workspace <slug>', 'the new workspace', 'demo')
    .option('--leads <n>', 'how many leads', (v) => Number(v), 500)
    .option('--json', 'print JSON')
    .action(async (o: { workspace: string; leads: number; json?: boolean }) => {
      if (!Number.isInteger(o.leads) || o.leads < 1 || o.leads > 100_000)
        throw new Error('--leads must be an integer from 1 to 100000');
      // Loaded here: the whole application is needed only by this command.
      const { fillDemo } = require('./demo') as typeof import('./demo');
      const r = await fillDemo(o.workspace, o.leads);
      print(
        !!o.json,
        r,
        () =>
          `Created workspace ${r.workspace}: ${r.leads} leads (${r.submissions} from form submissions), ` +
          `${r.automation_runs} automation runs. A full-access key for it (shown once):\n${r.key}`,
      );
    });
}
