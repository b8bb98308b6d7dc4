import { createServer, Server, Socket } from 'node:net';

/** A TCP proxy in front of the database, to cut it off (refuse) or blackhole it (accept, never answer). */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  port = 0;
  /** Bytes clients sent through to the target (e.g. to count queries reaching the database). */
  bytesUp = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /**
   * A started proxy in front of the TCP address of `url` (postgres:// or redis://), and `url` through it. A `host`
   * parameter (the embedded database's Unix socket) is dropped: the proxy speaks TCP.
   */
  static async before(url: string, defaultPort: number): Promise<{ proxy: TcpProxy; url: string }> {
    const real = new URL(url);
    const proxy = new TcpProxy({ host: real.hostname, port: Number(real.port || defaultPort) });
    const proxied = new URL(url);
    proxied.searchParams.delete('host');
    proxied.port = String(await proxy.start());
    return { proxy, url: proxied.href };
  }

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  private accept(client: Socket) {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.mode === 'refuse') return client.destroy();
    if (this.mode === 'blackhole') return; // reads nothing, writes nothing
    const upstream = new Socket();
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.connect(this.target.port, this.target.host, () => {
      client.on('data', (chunk: Buffer) => (this.bytesUp += chunk.length));
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  /** Drops every open connection and refuses new ones, like a stopped database. */
  refuse() {
    this.mode = 'refuse';
    for (const s of this.sockets) s.destroy();
  }

  /** Drops every open connection; new ones connect but nothing ever comes back. */
  blackhole() {
    this.mode = 'blackhole';
    for (const s of this.sockets) s.destroy();
  }

  forward() {
    this.mode = 'forward';
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
