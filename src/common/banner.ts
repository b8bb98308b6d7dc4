import type { AppConfig } from '../config/app-config';

/** The base URL a person can open: APP_URL, else the bound host (localhost for a wildcard) and the real port. */
export function publicBaseUrl(config: Pick<AppConfig, 'appUrl' | 'host'>, port: number): string {
  if (config.appUrl) return config.appUrl;
  const wildcard = ['0.0.0.0', '::', '', '::0'].includes(config.host);
  const host = wildcard ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${port}`;
}

/** The one-time key of a first start, boxed, with where to go next. */
export function firstStartBanner(base: string, key: string): string {
  const lines = [
    'LeadHub is ready. First start: created workspace "default" and a full-access API key.',
    'It is shown only this once. Store it now:',
    '',
    `  ${key}`,
    '',
    `API:         ${base}/api/v1`,
    `Swagger UI:  ${base}/docs`,
    '',
    'Try it:',
    `  curl -H "Authorization: Bearer ${key}" ${base}/api/v1/leads`,
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const row = (l: string) => `│ ${l.padEnd(width)} │`;
  return `\n┌${'─'.repeat(width + 2)}┐\n${lines.map(row).join('\n')}\n└${'─'.repeat(width + 2)}┘\n\n`;
}
