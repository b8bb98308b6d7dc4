import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What the proxy does with one request. */
export type Fault =
  /** Answers 503 itself; the app never sees the request. */
  | '503'
  /** Answers 409 CONFLICT itself, as the app does while a request with the same Idempotency-Key is running. */
  | '409'
  /** The app handles the request (the write happens), then the client gets a 503 instead of the reply. */
  | 'forward-then-503'
  /** The app handles the request, then the connection is cut before any reply: the client sees a network error. */
  | 'forward-then-drop';

export interface SeenRequest {
  method: string;
  url: string;
  idempotencyKey?: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

/**
 * An HTTP proxy in front of the real app that fails chosen requests, as a load balancer or a flaky network
 * would; everything else passes through unchanged.
 */
export class FlakyProxy {
  readonly seen: SeenRequest[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private server?: Server;

  constructor(private readonly appPort: number) {}

  /** The next requests with this method meet these faults, in order; later ones pass through. */
  fail(method: string, ...faults: Fault[]): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...faults]);
  }

  /** Forgets the faults not met yet. */
  clear(): void {
    this.faults.clear();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'];
    this.seen.push({ method, url: req.url ?? '', idempotencyKey: typeof key === 'string' ? key : undefined });
    const fault = this.faults.get(method)?.shift();
    if (fault === '503') return unavailable(res);
    if (fault === '409') return conflict(res);

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
    const upstream = await fetch(`http://127.0.0.1:${this.appPort}${req.url}`, {
      method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (fault === 'forward-then-503') return unavailable(res);
    if (fault === 'forward-then-drop') return void req.socket.destroy();
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
    });
    res.writeHead(upstream.status, out).end(body);
  }
}

function unavailable(res: ServerResponse): void {
  res
    .writeHead(503, {
      'Content-Type': 'application/json',
      'Retry-After': '0',
      'X-Request-Id': 'from-the-proxy',
    })
    .end(
      JSON.stringify({
        status: 'error',
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is temporarily unavailable. Try again shortly.',
      }),
    );
}

function conflict(res: ServerResponse): void {
  res
    .writeHead(409, { 'Content-Type': 'application/json' })
    .end(
      JSON.stringify({ status: 'error', code: 'CONFLICT', message: 'A request with this key is in flight.' }),
    );
}
