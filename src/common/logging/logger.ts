import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options as HttpOptions } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '../../config/app-config';

/** The error code of a response (set by the exception filter on the raw response), for the request's log line. */
export const ERROR_CODE = Symbol('leadhub.errorCode');
type CodedResponse = ServerResponse & { [ERROR_CODE]?: string };

export function setResponseErrorCode(res: ServerResponse, code: string): void {
  (res as CodedResponse)[ERROR_CODE] = code;
}

type LogSettings = Pick<AppConfig, 'logLevel' | 'logFormat'>;

/** Pretty, coloured lines for a person at a terminal; JSON (ISO 8601 timestamps) for everything else. */
export function logFormat(config: LogSettings, isTty = !!process.stdout.isTTY): 'pretty' | 'json' {
  return config.logFormat ?? (isTty ? 'pretty' : 'json');
}

function baseOptions(config: LogSettings): LoggerOptions {
  if (logFormat(config) === 'pretty') return { level: config.logLevel };
  return {
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names ("info"), not numbers: readable, and what log shippers expect.
    formatters: { level: (label) => ({ level: label }) },
  };
}

/** Synchronous: start-up lines and the first-start banner come out in order. */
function destination(config: LogSettings): DestinationStream {
  if (logFormat(config) === 'json') return pino.destination({ fd: 1, sync: true });
  return pretty({
    colorize: !!process.stdout.isTTY,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,req,res,responseTime,context,reqId',
    messageFormat: '{if context}[{context}] {end}{msg}',
    singleLine: false,
  });
}

/** The process's logger outside requests (start-up, shutdown). */
export function createLogger(config: LogSettings): Logger {
  return pino(baseOptions(config), destination(config));
}

/** nestjs-pino's pinoHttp options: one line per request, with the error code of a 4xx/5xx. */
export function httpLoggerOptions(config: LogSettings): [HttpOptions, DestinationStream] {
  const options: HttpOptions = {
    ...baseOptions(config),
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    // Fastify assigns the id (echoed as X-Request-Id); the log lines carry the same one.
    genReqId: (req) => req.id ?? '',
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customProps: (_req, res) => {
      const code = (res as CodedResponse)[ERROR_CODE];
      return code ? { code } : {};
    },
    customSuccessMessage: (req, res, ms) => requestLine(req, res, ms),
    customErrorMessage: (req, res) => requestLine(req, res),
  };
  return [options, destination(config)];
}

function requestLine(req: IncomingMessage, res: ServerResponse, ms?: number): string {
  const code = (res as CodedResponse)[ERROR_CODE];
  const time = ms === undefined ? '' : ` ${ms}ms`;
  return `${req.method} ${req.url} ${res.statusCode}${code ? ` ${code}` : ''}${time}`;
}
