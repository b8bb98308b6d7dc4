import 'reflect-metadata';
import { ApiKeysService } from './api-keys/api-keys.service';
import { BootstrapService } from './api-keys/bootstrap.service';
import { createApp } from './app.factory';
import { loadConfig } from './config/config';
import { runMigrations } from './database/data-source';
import { startEmbeddedPostgres } from './database/embedded';

async function main() {
  const config = loadConfig();
  const say = (line: string) =>
    process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: line })}\n`);
  const embedded = config.databaseUrl
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

  const app = await createApp({
    databaseUrl,
    redisUrl: config.redisUrl,
    logLevel: config.logLevel,
    queryTimeoutMs: config.queryTimeoutMs,
    bodyLimitBytes: config.bodyLimitBytes,
    corsOrigins: config.corsOrigins,
  });
  const result = await app.get(BootstrapService).run(config.bootstrapKey);
  if (result.createdKey) printFirstKey(result.createdKey);
  if (result.ensuredKey)
    say('bootstrap key from LEADHUB_BOOTSTRAP_KEY registered (workspace "default", scope "*")');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    await app.get(ApiKeysService).flushLastUsed();
    await app.close();
    await embedded?.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port, config.host);
  say(`LeadHub API listening on http://${config.host}:${config.port} (docs at /docs)`);
}

function printFirstKey(key: string) {
  const line = '='.repeat(72);
  process.stdout.write(
    `\n${line}\n  First start: created workspace "default" and a full-access API key.\n` +
      `  It is shown only this once; store it now:\n\n    ${key}\n\n` +
      `  Try: curl -H "Authorization: Bearer ${key}" http://localhost:3000/api/v1/leads\n${line}\n\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`LeadHub API failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
