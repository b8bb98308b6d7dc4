import { InvalidArgumentError } from 'commander';
import { parseIsoDate } from '../common/validation/iso-date';
import type { TransactionHost } from '@nestjs-cls/transactional';
import { DataSource } from 'typeorm';
import type { TypeOrmTransactions } from '../database/transactions';
import { AppConfig, loadConfig } from '../config/app-config';
import { dataSourceOptions, LONG_WORK_TIMEOUT_MS, migrate } from '../database/data-source';
import { EmbeddedCluster } from '../database/embedded';
import { startEmbedded } from '../database/embedded-start';

/**
 * The CLI's lean path: the configuration and the database (DATABASE_URL, or the embedded cluster of DATA_DIR,
 * shared with a running server), no Nest application — commands answer in well under a second.
 */
export interface CliContext {
  config: AppConfig;
  url: string;
  db: DataSource;
}

/** Opens the database the server uses (migrating it first) for the duration of `work`. */
export async function withDatabase<T>(work: (c: CliContext) => Promise<T>, o: { migrate?: boolean } = {}) {
  return withDatabaseUrl(async (config, url) => {
    const db = new DataSource({
      ...dataSourceOptions({ url, queryTimeoutMs: LONG_WORK_TIMEOUT_MS }),
      poolSize: 2,
    });
    await db.initialize();
    try {
      if (o.migrate !== false) await migrate(db);
      return await work({ config, url, db });
    } finally {
      await db.destroy();
    }
  });
}

/**
 * A repository over the CLI's own connection (no Nest application, no ambient transactions): its `tx` is the
 * pool's EntityManager.
 */
export function cliRepository<T>(
  db: DataSource,
  Repo: new (host: TransactionHost<TypeOrmTransactions>) => T,
): T {
  return new Repo({
    tx: db.manager,
    isTransactionActive: () => false,
  } as unknown as TransactionHost<TypeOrmTransactions>);
}

/** The database URL only (for commands that speak SQL themselves), the embedded cluster started if needed. */
export async function withDatabaseUrl<T>(work: (config: AppConfig, url: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedCluster | undefined;
  if (!config.databaseUrl)
    embedded = await startEmbedded({ dataDir: config.dataDir, port: config.embeddedPgPort });
  try {
    return await work(config, config.databaseUrl ?? embedded!.url);
  } finally {
    await embedded?.stop();
  }
}

export function print(json: boolean, value: unknown, human: () => string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** The API's date rule (src/common/validation/iso-date.ts): years 0001–9999, real days and times. */
export function isoDate(v: string): Date {
  const d = parseIsoDate(v);
  if (!d)
    throw new InvalidArgumentError('must be an ISO 8601 date or date-time between the years 0001 and 9999');
  return new Date(d.ms);
}

/** Reads all of standard input (a password piped in: `echo "$PW" | leadhub user:create …`). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error('the password is read from standard input: pipe it in (printf %s "$PW" | leadhub …)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
