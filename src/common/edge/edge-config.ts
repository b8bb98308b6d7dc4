/**
 * What the HTTP edge enforces before a request reaches a controller: proxy trust, connection timeouts and caps (in all and per address),
 * and the per-address budget of requests without a valid key. Loaded from the environment (src/config/config.ts);
 * tests pass their own.
 */
export interface EdgeConfig {
  /** Fastify's trustProxy: false (default), true, a hop count, or a comma-separated list of addresses/CIDRs. */
  trustProxy: boolean | number | string;
  /** The request head (line + headers) must arrive within this time (slow-loris headers). */
  headersTimeoutMs: number;
  /** The whole request, head and body, must arrive within this time (slow bodies); 408 and closed otherwise. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic in either direction for this long is closed (0: never). */
  socketTimeoutMs: number;
  /** Connections beyond this many are refused (closed at once). */
  maxConnections: number;
  /** Connections from one remote address beyond this many are refused (closed at once); 0: no per-address cap. */
  maxConnectionsPerAddress: number;
  /** Requests to authenticated routes without a valid key, per client address and minute; more get 429. */
  unauthenticatedPerMinute: number;
  /** Requests to keyless operations (health, public forms, receivers) per client address and minute; 0: no limit. */
  keylessPerMinute: number;
}

export const DEFAULT_EDGE_CONFIG: EdgeConfig = {
  trustProxy: false,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
  socketTimeoutMs: 60_000,
  maxConnections: 1024,
  maxConnectionsPerAddress: 256,
  unauthenticatedPerMinute: 120,
  keylessPerMinute: 1200,
};

/** TRUST_PROXY as Fastify understands it: `true`/`false`, a number of hops, or addresses and CIDRs. */
export function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Options for the FastifyAdapter: the timeouts Node's HTTP server enforces. */
export function serverOptions(c: EdgeConfig) {
  return {
    // Fastify accepts a hop count at run time; its types only list booleans, strings and functions.
    trustProxy: c.trustProxy as boolean | string,
    connectionTimeout: c.socketTimeoutMs,
    keepAliveTimeout: c.keepAliveTimeoutMs,
    requestTimeout: c.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(c.headersTimeoutMs, c.requestTimeoutMs),
      requestTimeout: c.requestTimeoutMs,
      // Node checks the header/request timeouts on this period (30 s by default): check every second.
      connectionsCheckingInterval: Math.min(1000, c.headersTimeoutMs),
    },
  };
}
