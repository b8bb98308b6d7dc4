import './common/compile-cache';
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BootstrapService } from './api-keys/bootstrap.service';
import { createApp } from './app.factory';
import { firstStartBanner, publicBaseUrl } from './common/banner';
import { createLogger } from './common/logging/logger';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { runMigrations } from './database/data-source';
import { EmbeddedCluster } from './database/embedded';
import { startEmbedded } from './database/embedded-start';

async function main() {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`LeadHub API cannot start. ${err.message}\n`);
    process.exit(1);
  }
  const log = createLogger(config);
  let embedded: EmbeddedCluster | undefined;
  let app: NestFastifyApplication | undefined;
  try {
    embedded = config.databaseUrl
      ? undefined
      : await startEmbedded({
          dataDir: config.dataDir,
          port: config.embeddedPgPort,
          adoptOrphan: true,
          log: (line) => log.info(line),
        });
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    const applied = await runMigrations(databaseUrl);
    if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`);

    app = await createApp({ config, databaseUrl });
    const result = await app.get(BootstrapService).run(config.bootstrapKey);
    if (result.ensuredKey)
      log.info('bootstrap key from LEADHUB_BOOTSTRAP_KEY registered (workspace "default", scope "*")');

    handleSignals(app, config, log, embedded);
    await app.listen(config.port, config.host);
    const { port } = app.getHttpServer().address() as { port: number };
    const base = publicBaseUrl(config, port);
    const cpu = process.cpuUsage();
    log.info(
      { startup_seconds: process.uptime(), startup_cpu_seconds: (cpu.user + cpu.system) / 1e6 },
      `LeadHub API listening on http://${config.host}:${port} (docs at ${base}/docs)`,
    );
    // Last, after every start-up line, so the one-time key does not scroll away.
    if (result.createdKey) process.stdout.write(firstStartBanner(base, result.createdKey));
  } catch (err) {
    log.fatal({ err }, `LeadHub API failed to start: ${(err as Error).message ?? err}`);
    await app?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests and the worker's current batch finish,
 * close the pool, stop the embedded cluster — within SHUTDOWN_TIMEOUT_MS, after which the process exits anyway
 * (still stopping the cluster it started).
 */
function handleSignals(
  app: NestFastifyApplication,
  config: AppConfig,
  log: ReturnType<typeof createLogger>,
  embedded?: EmbeddedCluster,
) {
  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second Ctrl-C must not kill the process half-way (that would leave the embedded cluster running).
    if (stopping) return void log.warn(`${signal}: already shutting down`);
    stopping = true;
    log.info(`${signal}: shutting down (at most ${config.shutdownTimeoutMs} ms)`);
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting anyway');
      void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
    }, config.shutdownTimeoutMs).unref();
    try {
      // Fastify stops accepting and waits for in-flight requests (new ones on open connections get 503).
      await app.getHttpAdapter().close();
      // Then the worker finishes its batch, last_used_at is flushed and the pool closes.
      await app.close();
      await embedded?.stop();
      clearTimeout(force);
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error(`shutdown failed: ${(err as Error).message}`);
      await embedded?.stop().catch(() => undefined);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`LeadHub API failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
