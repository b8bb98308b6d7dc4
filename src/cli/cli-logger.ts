import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';

/**
 * Every log line of a CLI run goes to stderr: stdout carries the command's answer only, which scripts parse
 * (`--json`). A warning printed there (a connection closed by the cluster's shutdown, a missing secret key)
 * would break them.
 */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack, params);
  }
}

export function logToStderr(): void {
  Logger.overrideLogger(new StderrLogger());
}
