import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../src/config/app-config';
import type { TestApp } from '../support/test-app';

/** The engine's settings for these tests: local receivers allowed, fast polls and retries. */
export function engineTestConfig(
  o: { worker?: boolean; prune?: { intervalMs: number; batch: number } } = {},
): Partial<AppConfig> {
  return {
    allowPrivateUrls: true,
    worker: {
      enabled: o.worker ?? true,
      pollMs: 100,
      webhookBackoffMs: 20,
      webhookTimeoutMs: 10_000,
      pruneIntervalMs: o.prune?.intervalMs,
      pruneBatch: o.prune?.batch,
    },
  };
}

/** Polls `read` until `done` holds for its value (or fails after the timeout with the last value). */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`timed out waiting; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver: answers each path with the scripted statuses in turn (then the last one). */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly script: Record<string, number[]> = {};
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      this.requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const statuses = this.script[path] ?? [200];
      res.statusCode = statuses.length > 1 ? statuses.shift()! : statuses[0];
      res.end('ok');
    });
  });

  static async start(): Promise<Receiver> {
    const self = new Receiver();
    await new Promise<void>((r) => self.server.listen(0, '127.0.0.1', r));
    return self;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  respond(path: string, ...statuses: number[]): void {
    this.script[path] = statuses;
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

export function api(t: TestApp, key: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const ok = async (res: { status: number; body: any }, expected: number) => {
    if (res.status !== expected)
      throw new Error(`expected ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  return {
    automation: async (body: Record<string, unknown>) =>
      ok(await t.post('/api/v1/automations', { name: 'Test automation', ...body }, { key }), 201),
    lead: async (body: Record<string, unknown>) => ok(await t.post('/api/v1/leads', body, { key }), 201),
    patchLead: async (id: number, body: Record<string, unknown>) =>
      ok(await t.patch(`/api/v1/leads/${id}`, body, { key }), 200),
    getLead: async (id: number) => ok(await t.get(`/api/v1/leads/${id}`, { key }), 200),
    getAutomation: async (id: number) => ok(await t.get(`/api/v1/automations/${id}`, { key }), 200),
    runs: async (id: number, query = '?per_page=100') =>
      ok(await t.get(`/api/v1/automations/${id}/runs${query}`, { key }), 200) as Promise<RunJson[]>,
  };
}

export interface RunJson {
  id: number;
  automation_id: number;
  event_id: number;
  event_type: string;
  lead_id: number | null;
  depth: number;
  status: string;
  cut_reason: string | null;
  actions_applied: Record<string, unknown>[];
  error: string | null;
  created_at: string;
}

export const email = (name: string) => [name, 'example.com'].join('@');
