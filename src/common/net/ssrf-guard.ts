import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Guard against server-side request forgery: a URL the server will call on a user's behalf (integration
 * and automation webhooks) must be http(s) and must not reach loopback, link-local or private networks.
 * Literal addresses are checked as written; host names are resolved (every address) and each checked.
 * `LEADHUB_ALLOW_PRIVATE_URLS=1` (callers pass `{ allowPrivate }` from the injected AppConfig) lifts the address check for self-hosted setups that
 * post to their own network; the scheme check and the need for a host name to resolve always apply.
 *
 * The check happens when the URL is saved. A sender should connect to one of the addresses returned by
 * `resolvePublicUrl()` (or check again right before sending) so DNS rebinding cannot bypass it.
 */

export type UnsafeUrlReason = 'invalid' | 'scheme' | 'private' | 'unresolvable';

export class UnsafeUrlError extends Error {
  constructor(
    readonly reason: UnsafeUrlReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** IPv6 forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64. */
const EMBEDDED_V4 = /^(?:::ffff:|::|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i;

/** Whether an IP literal is a public (globally routable) address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  const ip = address.toLowerCase().replace(/%.*$/, ''); // zone id → link-local anyway
  const v4 = ip.match(EMBEDDED_V4);
  if (v4) {
    const dotted = v4[1] ?? hexToDotted(v4[2], v4[3]);
    return isPublicAddress(dotted);
  }
  return !BLOCKED.check(ip, 'ipv6');
}

function hexToDotted(hi: string, lo: string): string {
  const a = parseInt(hi, 16);
  const b = parseInt(lo, 16);
  return [a >> 8, a & 255, b >> 8, b & 255].join('.');
}

export interface UrlPolicy {
  /** LEADHUB_ALLOW_PRIVATE_URLS=1: private, loopback and link-local addresses are allowed. */
  allowPrivate?: boolean;
}

/** Parses and checks a URL; returns it with the addresses it may be reached at (all public). */
export async function resolvePublicUrl(
  raw: string,
  policy: UrlPolicy = {},
): Promise<{ url: URL; addresses: string[] }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('invalid', 'must be a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UnsafeUrlError('scheme', 'must be an http or https URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new UnsafeUrlError('invalid', 'must be a valid URL');
  const allowPrivate = policy.allowPrivate === true;
  if (isIP(host)) {
    if (!allowPrivate && !isPublicAddress(host))
      throw new UnsafeUrlError('private', 'must not point at a private, loopback or link-local address');
    return { url, addresses: [host] };
  }
  let addresses: string[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw new UnsafeUrlError('unresolvable', `must name a host that resolves (${host} does not)`);
  }
  if (!allowPrivate && (!addresses.length || addresses.some((a) => !isPublicAddress(a))))
    throw new UnsafeUrlError('private', `must not point at a private, loopback or link-local address`);
  return { url, addresses };
}

const LOOKUP_TIMEOUT_MS = 5000;

/** Every address of a host name (the system resolver, as an HTTP client would use), within a time limit. */
async function resolveAll(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

/** Throws `UnsafeUrlError` unless the URL is http(s) and reaches only public addresses. */
export async function assertPublicUrl(url: string, policy: UrlPolicy = {}): Promise<void> {
  await resolvePublicUrl(url, policy);
}

/** The guard's verdict as a field message (`The PATH field must …`); undefined when the URL is fine. */
export async function publicUrlProblem(
  value: string,
  path: string,
  policy: UrlPolicy = {},
): Promise<string | undefined> {
  try {
    await resolvePublicUrl(value, policy);
    return undefined;
  } catch (err) {
    if (err instanceof UnsafeUrlError) return `The ${path} field ${err.message}.`;
    throw err;
  }
}
