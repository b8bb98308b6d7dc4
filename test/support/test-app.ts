import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer } from 'node:net';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { createApp } from '../../src/app.factory';
import type { EdgeConfig } from '../../src/common/edge/edge-config';
import type { CorsOrigins } from '../../src/common/http/cors';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { WorkspacesService } from '../../src/workspaces/workspaces.service';
import { contractViolations } from './contract';
import { createTestDatabase, readState } from './db';
import { PrismProxy } from './prism-proxy';

export interface CallOptions {
  key?: string;
  body?: unknown;
  /** Raw body (string) with its content type, for hostile-input tests. */
  raw?: { body: string | Buffer; type: string };
  headers?: Record<string, string>;
  /** Skip the contract check (only for requests that are deliberately outside the document). */
  unchecked?: boolean;
  /** Past the Prism proxy too (routes outside the document such as /metrics; Host and X-Forwarded-* headers,
   * which Prism rewrites). */
  direct?: boolean;
}

export interface TestResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Record<string, string>;
  /** The raw body (non-JSON responses such as /metrics). */
  text: string;
}

export interface TestWorkspace {
  id: number;
  slug: string;
  key(scopes?: string[], opts?: { rateLimit?: number; expiresAt?: Date }): Promise<string>;
}

/**
 * The app's configuration in tests: the defaults (never the developer's .env), silent, the run's secret key
 * (global-setup), and the test's own settings. Tests change settings here, never through process.env.
 */
export function testConfig(
  opts: { redisUrl?: string; queryTimeoutMs?: number; config?: Partial<AppConfig> } = {},
): AppConfig {
  return loadConfig(
    { LEADHUB_SECRET_KEY: readState().secretKey },
    {
      logLevel: 'silent',
      logFormat: 'json',
      redisUrl: opts.redisUrl,
      queryTimeoutMs: opts.queryTimeoutMs ?? 5000,
      ...opts.config,
    },
  );
}

/** Whether an app of this test file listens behind the worker's shared Prism (apps of one file may overlap). */
let sharedPrismTaken = false;

/** No listener on the port (an app of an earlier file that was never closed would still hold it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export type TestAppOptions = NonNullable<Parameters<typeof TestApp.start>[0]>;

/**
 * The suite's app: started in a beforeAll (registered first, so the suite's own beforeAll can use it), closed
 * in an afterAll. The returned object stands for the app once started:
 *   const t = useTestApp({ config: {...} });
 *   beforeAll(async () => { key = await (await t.workspace('acme')).key(['*']); });
 */
export function useTestApp(options: TestAppOptions | (() => TestAppOptions) = {}): TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await TestApp.start(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await app?.close();
    app = undefined;
  });
  return new Proxy({} as TestApp, {
    get(_, prop) {
      if (!app) throw new Error('useTestApp(): the app exists between its beforeAll and afterAll only');
      const value = Reflect.get(app, prop, app);
      return typeof value === 'function' ? value.bind(app) : value;
    },
  });
}

/** The real app on its own database; every response is checked against the committed OpenAPI document. */
export class TestApp {
  private prism?: PrismProxy;
  private holdsSharedPrism = false;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
  ) {}

  /** The port the app listens on (starts listening on first use). */
  async port(): Promise<number> {
    const server = this.app.getHttpServer();
    if (!server.listening) await this.app.listen(0, '127.0.0.1');
    return (server.address() as { port: number }).port;
  }

  static async start(
    opts: {
      redisUrl?: string;
      databaseUrl?: string;
      queryTimeoutMs?: number;
      /** Timeouts, proxy trust, unauthenticated budget… (src/common/edge/edge-config.ts). */
      edge?: Partial<EdgeConfig>;
      /** Log lines go here (at level info) instead of nowhere. */
      logStream?: DestinationStream;
      corsOrigins?: CorsOrigins;
      /** false: no Prism proxy even in the Prism pass (a browser calls the app's own port). */
      prism?: boolean;
      config?: Partial<AppConfig>;
    } = {},
  ): Promise<TestApp> {
    const db = opts.databaseUrl
      ? { url: opts.databaseUrl, drop: async () => undefined }
      : await createTestDatabase();
    const edge = { ...testConfig().edge, ...opts.edge };
    const config = testConfig({
      ...opts,
      config: { ...opts.config, edge, ...(opts.logStream ? { logLevel: 'info' } : {}) },
    });
    const app = await createApp({
      config,
      databaseUrl: db.url,
      swagger: false,
      logStream: opts.logStream,
      corsOrigins: opts.corsOrigins,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const t = new TestApp(app, db.url, db.drop);
    // LEADHUB_TEST_PRISM=1: every request goes through a Prism validating proxy as well.
    if (process.env.LEADHUB_TEST_PRISM === '1' && opts.prism !== false) t.prism = await t.startPrism();
    return t;
  }

  /**
   * The worker's shared Prism (global setup) when this is the only app of the file that uses it, else a Prism of
   * its own. The shared one proxies to a fixed port: this app listens there until it closes.
   */
  private async startPrism(): Promise<PrismProxy> {
    const shared = readState().prisms?.[Number(process.env.JEST_WORKER_ID ?? 1) - 1];
    if (shared && !sharedPrismTaken && (await portFree(shared.appPort))) {
      sharedPrismTaken = true;
      this.holdsSharedPrism = true;
      await this.app.listen(shared.appPort, '127.0.0.1');
      return PrismProxy.shared(shared.url);
    }
    return PrismProxy.start(await this.port());
  }

  async close(): Promise<void> {
    this.prism?.stop();
    await this.app.close();
    if (this.holdsSharedPrism) sharedPrismTaken = false;
    await this.dropDatabase();
  }

  async workspace(slug: string): Promise<TestWorkspace> {
    const ws = await this.app.get(WorkspacesService).create(slug, `${slug} workspace`);
    const keys = this.app.get(ApiKeysService);
    return {
      id: ws.id,
      slug,
      key: async (scopes = ['*'], o = {}) =>
        (
          await keys.create({
            workspace: ws,
            name: `test ${scopes.join(',')}`,
            scopes,
            rateLimit: o.rateLimit,
            expiresAt: o.expiresAt,
          })
        ).plaintext,
    };
  }

  /** Runs SQL on the test database (to look at rows directly). */
  async sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.databaseUrl });
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  async call(method: string, url: string, o: CallOptions = {}): Promise<TestResponse> {
    // Raw bodies are deliberately malformed and `direct` requests outside the document (/metrics, CORS
    // preflights): Prism would answer them itself, so they go to the app directly.
    const viaPrism = this.prism && !o.raw && !o.direct && method !== 'OPTIONS';
    const target = viaPrism ? this.prism!.url : this.app.getHttpServer();
    let req = request(target)[method.toLowerCase() as 'get'](url);
    if (o.key) req = req.set('Authorization', `Bearer ${o.key}`);
    for (const [k, v] of Object.entries(o.headers ?? {})) req = req.set(k, v);
    if (o.raw) req = req.set('Content-Type', o.raw.type).send(o.raw.body);
    else if (o.body !== undefined) req = req.send(o.body as object);
    const res = await req;
    const out: TestResponse = {
      status: res.status,
      body: res.body,
      headers: res.headers as Record<string, string>,
      text: res.text,
    };
    if (viaPrism) {
      const found = PrismProxy.responseViolations(out.headers);
      if (found.length)
        throw new Error(
          `Prism: response of ${method} ${url} violates the document:\n  ${found.join('\n  ')}`,
        );
    }
    if (!o.unchecked) {
      const problems = contractViolations(method, url, res.status, res.body, out.headers);
      if (problems.length)
        throw new Error(`Contract violation for ${method} ${url}:\n  ${problems.join('\n  ')}`);
    }
    return out;
  }

  get = (url: string, o?: CallOptions) => this.call('GET', url, o);
  post = (url: string, body?: unknown, o?: CallOptions) => this.call('POST', url, { ...o, body });
  put = (url: string, body?: unknown, o?: CallOptions) => this.call('PUT', url, { ...o, body });
  patch = (url: string, body?: unknown, o?: CallOptions) => this.call('PATCH', url, { ...o, body });
  delete = (url: string, o?: CallOptions) => this.call('DELETE', url, o);
}
