import './common/compile-cache';
import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminSetupService } from './admin/setup.service';
import { BootstrapService } from './api-keys/bootstrap.service';
import { createApp } from './app.factory';
import { firstStartBanner, publicBaseUrl } from './common/banner';
import { createLogger } from './common/logging/logger';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { runMigrations } from './database/data-source';
import { EmbeddedCluster } from './database/embedded';
import { EmbeddedPostgresError } from './database/embedded-placement';
import { startEmbedded } from './database/embedded-start';

// Module-level so that a signal at any moment of the start can still stop what was started.
let embedded: EmbeddedCluster | undefined;
let app: NestFastifyApplication | undefined;

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
  handleSignals(config, log);
  try {
    embedded = config.databaseUrl
      ? undefined
      : await startEmbedded({
          dataDir: config.dataDir,
          port: config.embeddedPgPort,
          adoptOrphan: true,
          log: (line) => log.info(line),
        });
    const databaseUrl = config.databaseUrl ?? embedded!.localUrl;
    const applied = await runMigrations(databaseUrl);
    if (applied.length) log.info(`applied migrations: ${applied.join(', ')}`);

    app = await createApp({ config, databaseUrl });
    const result = await app.get(BootstrapService).run(config.bootstrapKey);
    // Beside the first key, a one-time link that creates the workspace's first admin (the admin panel).
    const setupToken =
      result.workspaceId !== undefined
        ? await app.get(AdminSetupService).issue(result.workspaceId)
        : undefined;
    if (result.ensuredKey)
      log.info('bootstrap key from LEADHUB_BOOTSTRAP_KEY registered (workspace "default", scope "*")');

    await app.listen(config.port, config.host);
    embedded?.supervise(); // from now on a stopped embedded cluster is started again
    const { port } = app.getHttpServer().address() as { port: number };
    const base = publicBaseUrl(config, port);
    const cpu = process.cpuUsage();
    log.info(
      { startup_seconds: process.uptime(), startup_cpu_seconds: (cpu.user + cpu.system) / 1e6 },
      `LeadHub API listening on http://${config.host}:${port} (docs at ${base}/docs)`,
    );
    // Last, after every start-up line, so the one-time key does not scroll away.
    if (result.createdKey) process.stdout.write(firstStartBanner(base, result.createdKey, setupToken));
  } catch (err) {
    // An EmbeddedPostgresError is the operator's to fix and says how: its message, without a stack.
    if (err instanceof EmbeddedPostgresError) log.fatal(`LeadHub API failed to start: ${err.message}`);
    else log.fatal({ err }, `LeadHub API failed to start: ${(err as Error).message ?? err}`);
    await app?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests and the worker's current batch finish,
 * close the pool, stop the embedded cluster — within SHUTDOWN_TIMEOUT_MS, after which the process exits anyway
 * (still stopping the cluster it started). Installed before anything starts: Ctrl-C during the start too.
 * Ctrl-C on `npm start | tee log` reaches the whole process group: `tee` dies, so the output pipe closes (EPIPE);
 * a closed terminal is SIGHUP. Both end in the same shutdown.
 */
function handleSignals(config: AppConfig, log: ReturnType<typeof createLogger>) {
  let stopping = false;
  const say = (line: string) => {
    try {
      log.info(line);
    } catch {
      // the output is gone (EPIPE): stopping matters more than saying so
    }
  };
  const shutdown = async (signal: string) => {
    // A second Ctrl-C must not kill the process half-way (that would leave the embedded cluster running).
    if (stopping) return say(`${signal}: already shutting down`);
    stopping = true;
    say(`${signal}: shutting down (at most ${config.shutdownTimeoutMs} ms)`);
    const force = setTimeout(() => {
      say('shutdown took too long; exiting anyway');
      void (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
    }, config.shutdownTimeoutMs).unref();
    try {
      if (app) {
        // Fastify stops accepting and waits for in-flight requests (new ones on open connections get 503).
        await app.getHttpAdapter().close();
        // Then the worker finishes its batch, last_used_at is flushed and the pool closes.
        await app.close();
      }
      await embedded?.stop();
      clearTimeout(force);
      say('stopped');
      process.exit(0);
    } catch (err) {
      say(`shutdown failed: ${(err as Error).message}`);
      await embedded?.stop().catch(() => undefined);
      process.exit(1);
    }
  };
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown(sig));
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') void shutdown('EPIPE (the output pipe closed)');
    });
}

main().catch((err) => {
  process.stderr.write(`LeadHub API failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
