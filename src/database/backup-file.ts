import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import type { SequenceState, Snapshot, TableChunk } from './logical-copy';

/**
 * The backup file: gzip-compressed JSON lines. Line 1 is the header (format, version, migrations, tables,
 * sequences and — unless left out — the key that decrypts integration secrets); then one line per batch of
 * rows `{"table": …, "rows": [...]}`; the last line `{"end": true, "counts": {...}}` proves it is complete.
 */
export const BACKUP_FORMAT = 'leadhub-backup';
export const BACKUP_VERSION = 1;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  created_at: string;
  app_version: string;
  migrations: string[];
  tables: string[];
  sequences: SequenceState[];
  /** base64 of the 32-byte key; null when the backup was made with --without-secret-key. */
  secret_key: string | null;
}

export async function writeBackup(
  file: string,
  header: Omit<BackupHeader, 'format' | 'version' | 'migrations' | 'tables' | 'sequences'>,
  snapshot: Snapshot,
): Promise<Record<string, number>> {
  const gzip = createGzip();
  // 0600: the file holds every record and, by default, the secret key.
  const out = createWriteStream(file, { mode: 0o600 });
  gzip.pipe(out);
  const write = async (value: unknown) => {
    if (!gzip.write(`${JSON.stringify(value)}\n`)) await once(gzip, 'drain');
  };
  const full: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    ...header,
    migrations: snapshot.migrations,
    tables: snapshot.tables,
    sequences: snapshot.sequences,
  };
  await write(full);
  const counts: Record<string, number> = Object.fromEntries(snapshot.tables.map((t) => [t, 0]));
  for await (const chunk of snapshot.chunks()) {
    counts[chunk.table] += chunk.rows.length;
    await write(chunk);
  }
  await write({ end: true, counts });
  gzip.end();
  await once(out, 'close');
  return counts;
}

/** Reads a backup: the header at once, the rows as they are consumed (the end line is checked). */
export async function readBackup(
  file: string,
): Promise<{ header: BackupHeader; chunks: AsyncGenerator<TableChunk>; close(): void }> {
  const input = createReadStream(file).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next().catch((err: Error) => {
    throw new Error(`${file} is not a LeadHub backup (${err.message})`, { cause: err });
  });
  let header: BackupHeader;
  try {
    header = JSON.parse(first.value as string) as BackupHeader;
  } catch {
    header = {} as BackupHeader;
  }
  if (header.format !== BACKUP_FORMAT) throw new Error(`${file} is not a LeadHub backup`);
  if (header.version !== BACKUP_VERSION)
    throw new Error(
      `${file} is a backup of format version ${header.version}; this version reads ${BACKUP_VERSION}`,
    );
  async function* chunks(): AsyncGenerator<TableChunk> {
    const seen: Record<string, number> = {};
    for (;;) {
      const next = await lines.next();
      if (next.done) throw new Error(`${file} is truncated: its end marker is missing`);
      const line = JSON.parse(next.value as string) as TableChunk & {
        end?: boolean;
        counts?: Record<string, number>;
      };
      if (line.end) {
        for (const [t, n] of Object.entries(line.counts ?? {}))
          if ((seen[t] ?? 0) !== n)
            throw new Error(`${file} is damaged: ${t} has ${seen[t] ?? 0} of ${n} rows`);
        return;
      }
      seen[line.table] = (seen[line.table] ?? 0) + line.rows.length;
      yield line;
    }
  }
  return { header, chunks: chunks(), close: () => input.destroy() };
}
