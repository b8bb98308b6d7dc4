import { InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '../config/app-config';
import { dataSourceOptions, migrate } from '../database/data-source';
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
    const db = new DataSource({ ...dataSourceOptions({ url, queryTimeoutMs: 600_000 }), poolSize: 2 });
    await db.initialize();
    try {
      if (o.migrate !== false) await migrate(db);
      return await work({ config, url, db });
    } finally {
      await db.destroy();
    }
  });
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

export function isoDate(v: string): Date {
  const d = new Date(v);
  if (!/^\d{4}-\d\d-\d\d/.test(v) || Number.isNaN(d.getTime()))
    throw new InvalidArgumentError('must be an ISO 8601 date-time');
  return d;
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
