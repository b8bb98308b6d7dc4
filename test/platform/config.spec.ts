import { getMetadataStorage } from 'class-validator';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstStartBanner, publicBaseUrl } from '../../src/common/banner';
import { logFormat } from '../../src/common/logging/logger';
import { ConfigError, loadConfig, PROJECT_ROOT, processEnvironment } from '../../src/config/app-config';
import { Environment } from '../../src/config/config';

describe('configuration (one typed object, loaded once)', () => {
  it('has documented defaults; the default data directory is the project folder`s data/, wherever one stands', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      dataDir: join(PROJECT_ROOT, 'data'),
      logLevel: 'info',
      allowPrivateUrls: false,
      keyCacheTtlMs: 5000,
      queryTimeoutMs: 10_000,
      readinessTimeoutMs: 2_000,
      worker: { enabled: true, pollMs: 1000, webhookBackoffMs: 30_000, webhookTimeoutMs: 10_000 },
      shutdownTimeoutMs: 15_000,
    });
    expect(c.metricsToken).toBeUndefined();
    expect(join(PROJECT_ROOT, 'package.json')).toBe(join(__dirname, '..', '..', 'package.json'));
  });

  it('a relative DATA_DIR is relative to the project folder; an absolute one is kept', () => {
    expect(loadConfig({ DATA_DIR: 'var/leadhub' }).dataDir).toBe(join(PROJECT_ROOT, 'var', 'leadhub'));
    expect(loadConfig({ DATA_DIR: '/srv/leadhub' }).dataDir).toBe('/srv/leadhub');
  });

  it('maps every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      LEADHUB_ALLOW_PRIVATE_URLS: '1',
      LEADHUB_KEY_CACHE_TTL_MS: '0',
      LEADHUB_WORKER: '0',
      LEADHUB_WORKER_POLL_MS: '250',
      LEADHUB_EVENT_RETENTION_HOURS: '24',
      LOG_FORMAT: 'pretty',
      APP_URL: 'https://crm.example.com/',
      METRICS_TOKEN: 'a-long-metrics-token',
      SHUTDOWN_TIMEOUT_MS: '3000',
      READINESS_TIMEOUT_MS: '800',
    });
    expect(c).toMatchObject({
      port: 8080,
      allowPrivateUrls: true,
      keyCacheTtlMs: 0,
      logFormat: 'pretty',
      appUrl: 'https://crm.example.com',
      metricsToken: 'a-long-metrics-token',
      shutdownTimeoutMs: 3000,
      readinessTimeoutMs: 800,
    });
    expect(c.worker).toMatchObject({ enabled: false, pollMs: 250, eventRetentionHours: 24 });
    expect(loadConfig({}).worker.eventRetentionHours).toBe(168);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
    ['LEADHUB_ALLOW_PRIVATE_URLS', 'yes'],
    ['LEADHUB_KEY_CACHE_TTL_MS', '-1'],
    ['LEADHUB_WORKER', 'off'],
    ['LEADHUB_EVENT_RETENTION_HOURS', '0'],
    ['LEADHUB_EVENT_RETENTION_HOURS', 'a week'],
    ['LEADHUB_SECRET_KEY', 'short'],
    ['METRICS_TOKEN', 'short'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon'],
    ['APP_URL', 'crm.example.com'],
  ])('a bad %s (%s) stops the start with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });

  it('reads a .env file; the real environment wins over it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leadhub-env-')), '.env');
    writeFileSync(file, '# comment\nPORT=4100\nLOG_LEVEL=debug\nLEADHUB_TEST_ONLY_VAR="quoted value"\n');
    const env = processEnvironment(file);
    expect(env.PORT).toBe(process.env.PORT ?? '4100');
    expect(env.LEADHUB_TEST_ONLY_VAR).toBe('quoted value');
    expect(loadConfig({ ...processEnvironment(file), LOG_LEVEL: 'warn' })).toMatchObject({
      logLevel: 'warn',
    });
  });

  it('the README documents exactly the variables the Environment class validates', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('| variable | default | meaning |');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    const documented = [...table.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    const validated = getMetadataStorage()
      .getTargetValidationMetadatas(Environment, '', true, false)
      .map((m) => m.propertyName);
    expect(documented.length).toBeGreaterThan(30);
    expect([...new Set(documented)].sort()).toEqual([...new Set(validated)].sort());
  });

  it('nothing outside src/config reads process.env (the lint rule holds)', () => {
    const out = execFileSync('grep', ['-rln', 'process\\.env', join(PROJECT_ROOT, 'src'), '--include=*.ts'])
      .toString()
      .trim()
      .split('\n')
      .map((f) => f.slice(PROJECT_ROOT.length + 1));
    expect(out.filter((f) => !f.startsWith('src/config/'))).toEqual([]);
  });
});

describe('first-start banner and log format', () => {
  it('shows the URL actually served, the key, the Swagger UI and a curl line, boxed', () => {
    expect(publicBaseUrl({ host: '0.0.0.0' }, 8080)).toBe('http://localhost:8080');
    expect(publicBaseUrl({ host: '127.0.0.1' }, 3001)).toBe('http://127.0.0.1:3001');
    expect(publicBaseUrl({ host: '::1' }, 3001)).toBe('http://[::1]:3001');
    expect(publicBaseUrl({ host: '0.0.0.0', appUrl: 'https://crm.example.com' }, 1)).toBe(
      'https://crm.example.com',
    );
    const key = 'lh_' + 'k'.repeat(40);
    const banner = firstStartBanner('http://localhost:8080', key);
    const lines = banner.trim().split('\n');
    expect(lines[0]).toMatch(/^┌─+┐$/);
    expect(lines.at(-1)).toMatch(/^└─+┘$/);
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1); // a closed box
    expect(banner).toContain(`  ${key}`);
    expect(banner).toContain('http://localhost:8080/docs');
    expect(banner).toContain(`curl -H "Authorization: Bearer ${key}" http://localhost:8080/api/v1/leads`);
  });

  it('pretty on a terminal, JSON otherwise; LOG_FORMAT overrides', () => {
    expect(logFormat({ logLevel: 'info' }, true)).toBe('pretty');
    expect(logFormat({ logLevel: 'info' }, false)).toBe('json');
    expect(logFormat({ logLevel: 'info', logFormat: 'json' }, true)).toBe('json');
    expect(logFormat({ logLevel: 'info', logFormat: 'pretty' }, false)).toBe('pretty');
  });
});
