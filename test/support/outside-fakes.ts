import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for the outside services integrations talk to, each speaking its documented format:
 * the Graph API (leadgen lookup), Mailgun's messages API and Slack incoming webhooks. Each records the
 * requests it got and can be scripted to fail (`failNext(status, n)`) before it answers normally again.
 */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (req: FakeRequest) => { status: number; body: unknown; type?: string };

class FakeService {
  readonly requests: FakeRequest[] = [];
  private failures: { status: number; body: unknown }[] = [];
  private readonly server: Server;

  constructor(private readonly handler: Handler) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const r: FakeRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(r);
        const answer = this.failures.shift() ?? this.handler(r);
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'Content-Type': typeof answer.body === 'string' ? 'text/plain' : 'application/json',
        });
        res.end(text);
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `times` requests get this answer instead of the normal one. */
  failNext(status: number, times = 1, body: unknown = { error: 'scripted failure' }): void {
    for (let i = 0; i < times; i++) this.failures.push({ status, body });
  }

  /** Drops the scripted failures not used yet. */
  recover(): void {
    this.failures = [];
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Graph API: `GET /v21.0/{leadgen_id}?access_token=…` → `{id, created_time, field_data: [{name, values}]}`. */
export class FakeGraph extends FakeService {
  readonly leads = new Map<string, { name: string; values: string[] }[]>();

  constructor(readonly pageToken: string) {
    super((req) => {
      const id = req.path.split('/').pop() ?? '';
      if (req.method !== 'GET' || req.query.get('access_token') !== this.pageToken)
        return {
          status: 400,
          body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } },
        };
      const fields = this.leads.get(id);
      if (!fields)
        return {
          status: 400,
          body: {
            error: { message: `Unsupported get request. Object with ID '${id}' does not exist`, code: 100 },
          },
        };
      return { status: 200, body: { id, created_time: '2026-03-28T09:15:00+0000', field_data: fields } };
    });
  }

  /** The Graph base URL to configure (LEADHUB_FACEBOOK_GRAPH_URL). */
  get baseUrl(): string {
    return `${this.origin}/v21.0`;
  }
}

export interface MailgunMessage {
  domain: string;
  fields: URLSearchParams;
}

/** Mailgun: `POST /v3/{domain}/messages`, basic auth `api:<key>`, form fields → `{id, message}`. */
export class FakeMailgun extends FakeService {
  readonly messages: MailgunMessage[] = [];

  constructor(readonly apiKey: string) {
    super((req) => {
      const m = /^\/v3\/([^/]+)\/messages$/.exec(req.path);
      const auth = `Basic ${Buffer.from(`api:${this.apiKey}`).toString('base64')}`;
      if (req.headers.authorization !== auth) return { status: 401, body: 'Forbidden' };
      if (!m || req.method !== 'POST') return { status: 404, body: { message: 'Not found' } };
      const fields = new URLSearchParams(req.body);
      if (!fields.get('from') || !fields.get('to') || !(fields.get('text') || fields.get('html')))
        return { status: 400, body: { message: "'from' parameter is missing" } };
      this.messages.push({ domain: decodeURIComponent(m[1]), fields });
      return {
        status: 200,
        body: { id: `<${this.messages.length}@${m[1]}>`, message: 'Queued. Thank you.' },
      };
    });
  }
}

/** Slack incoming webhook: `POST /services/T…/B…/X…` with JSON `{text}` → `ok`. */
export class FakeSlack extends FakeService {
  readonly messages: { path: string; payload: { text?: string; channel?: string } }[] = [];

  constructor() {
    super((req) => {
      if (!req.path.startsWith('/services/')) return { status: 404, body: 'no_service' };
      let payload: { text?: string };
      try {
        payload = JSON.parse(req.body) as { text?: string };
      } catch {
        return { status: 400, body: 'invalid_payload' };
      }
      if (!payload.text) return { status: 400, body: 'no_text' };
      this.messages.push({ path: req.path, payload });
      return { status: 200, body: 'ok' };
    });
  }

  hookUrl(path = '/services/T000/B000/XXXXXXXX'): string {
    return `${this.origin}${path}`;
  }
}
