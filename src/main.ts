import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeysService } from './api-keys/api-keys.service';
import { BootstrapService } from './api-keys/bootstrap.service';
import { createApp } from './app.factory';
import { loadConfig } from './config/config';
import { runMigrations } from './database/data-source';
import { EmbeddedCluster, startEmbeddedPostgres } from './database/embedded';
import { EmbeddedPostgresError } from './database/embedded-placement';

// Module-level so that a signal or an error at any moment of the start can still stop what was started.
let embedded: EmbeddedCluster | undefined;
let app: NestFastifyApplication | undefined;
let stopping = false;

const say = (line: string) =>
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: line })}\n`);

async function main() {
  const config = loadConfig();
  embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPgPort,
        adoptOrphan: true,
        log: say,
      });
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const applied = await runMigrations(databaseUrl);
  if (applied.length) say(`applied migrations: ${applied.join(', ')}`);

  app = await createApp({
    databaseUrl,
    redisUrl: config.redisUrl,
    logLevel: config.logLevel,
    queryTimeoutMs: config.queryTimeoutMs,
    bodyLimitBytes: config.bodyLimitBytes,
  });
  const result = await app.get(BootstrapService).run(config.bootstrapKey);
  if (result.createdKey) printFirstKey(result.createdKey);
  if (result.ensuredKey)
    say('bootstrap key from LEADHUB_BOOTSTRAP_KEY registered (workspace "default", scope "*")');

  await app.listen(config.port, config.host);
  embedded?.supervise(); // from now on a stopped embedded cluster is started again
  say(`LeadHub API listening on http://${config.host}:${config.port} (docs at /docs)`);
}

async function shutdown(reason: string, code = 0) {
  if (stopping) return; // npm forwards the terminal's SIGINT once more: one shutdown is enough
  stopping = true;
  say(`${reason}: shutting down`);
  const force = setTimeout(() => process.exit(1), 20_000).unref();
  try {
    if (app) {
      await app.get(ApiKeysService).flushLastUsed();
      await app.close();
    }
  } finally {
    await embedded?.stop();
    clearTimeout(force);
    process.exit(code);
  }
}

// Ctrl-C reaches the whole process group (npm, this process, `tee`) and npm forwards it again; a closed terminal
// is SIGHUP; a closed output pipe (`npm start | tee log` after Ctrl-C) is EPIPE. Each ends in one clean shutdown
// that stops the embedded cluster, whether the server is up yet or still starting.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown(sig));
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') void shutdown('EPIPE (the output pipe closed)');
  });

function printFirstKey(key: string) {
  const line = '='.repeat(72);
  process.stdout.write(
    `\n${line}\n  First start: created workspace "default" and a full-access API key.\n` +
      `  It is shown only this once; store it now:\n\n    ${key}\n\n` +
      `  Try: curl -H "Authorization: Bearer ${key}" http://localhost:3000/api/v1/leads\n${line}\n\n`,
  );
}

main().catch(async (err) => {
  const known = err instanceof EmbeddedPostgresError; // the operator's to fix: the message says how
  process.stderr.write(
    `LeadHub API failed to start: ${known ? err.message : ((err as Error).stack ?? err)}\n`,
  );
  stopping = true;
  await app?.close().catch(() => undefined);
  await embedded?.stop().catch(() => undefined); // a failed start (port taken, …) leaves no cluster running
  process.exit(1);
});
