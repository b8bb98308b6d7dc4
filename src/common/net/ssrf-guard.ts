import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/**
 * Guard against server-side request forgery: a URL the server will call on a user's behalf (integration
 * and automation webhooks) must be http(s) and must reach only globally routable unicast addresses.
 * Literal addresses are checked as written (after WHATWG URL normalisation: `0x7f.1`, `2130706433` and
 * `[::ffff:127.0.0.1]` are addresses too); host names are resolved (every address) and each checked.
 * `LEADHUB_ALLOW_PRIVATE_URLS=1` (callers pass `{ allowPrivate }` from the injected AppConfig) lifts the address check for self-hosted setups that
 * post to their own network; the scheme check and the need for a host name to resolve always apply.
 *
 * Classification is ipaddr.js's special-purpose registry (not a hand list that misses ranges): an IPv4
 * address must be in its `unicast` range (so not loopback, private, CGNAT, link-local, multicast, broadcast,
 * "this network", benchmarking, documentation/TEST-NET, 240/4 or other reserved blocks); an IPv6 address
 * must be `unicast` and inside 2000::/3, the only block IANA allocates for global unicast (so `::/96`
 * IPv4-compatible forms, unique/link/site-local, multicast and documentation 2001:db8::/32 are out). IPv6
 * transition forms are judged by the IPv4 address they carry: mapped `::ffff:0:0/96`, translated
 * `::ffff:0:0:0/96`, NAT64 `64:ff9b::/96` (the local-use `64:ff9b:1::/48` is never global), 6to4
 * `2002::/16` and Teredo `2001::/32` (server and client). Finally, this host's own interface addresses and
 * the networks they sit on (no wider than /16, /48) are refused, whatever their class (a public address of
 * the host itself reaches its local services).
 *
 * The check happens when the URL is saved and again right before every send; the sender connects to an
 * address returned by `resolvePublicUrl()` (pinned), so DNS rebinding cannot bypass it.
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

/** One message for every refused address class: which class it was would only help an attacker map. */
export const NOT_PUBLIC_MESSAGE =
  "must point at a public internet address (private, loopback, link-local, reserved and this server's own addresses are refused)";

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const LOCAL_USE_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b:1::/48');

/** Whether an IP literal is a public (globally routable unicast) address that is not this host's. */
export function isPublicAddress(address: string): boolean {
  const literal = address.replace(/%.*$/, ''); // a zone id only goes with link-local addresses
  if (!ipaddr.isValid(literal) || !isIP(literal)) return false;
  return isGlobal(ipaddr.parse(literal)) && !isHostAddress(literal);
}

function isGlobal(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  const v6 = ip as ipaddr.IPv6;
  const p = v6.parts;
  switch (v6.range()) {
    case 'unicast':
      return v6.match(GLOBAL_UNICAST_V6);
    case 'ipv4Mapped':
    case 'rfc6145':
      return isGlobal(v4(p[6], p[7]));
    case 'rfc6052':
      return !v6.match(LOCAL_USE_NAT64) && isGlobal(v4(p[6], p[7]));
    case '6to4':
      return isGlobal(v4(p[1], p[2]));
    case 'teredo': // 2001:0:SERVER:flags:port:CLIENT, the client address and port stored inverted
      return isGlobal(v4(p[2], p[3])) && isGlobal(v4(~p[6] & 0xffff, ~p[7] & 0xffff));
    default:
      return false;
  }
}

function v4(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
}

const INTERFACES_TTL_MS = 5000;
const MIN_LINK_BITS_V4 = 16;
const MIN_LINK_BITS_V6 = 48;
let interfaces: { at: number; nets: [ipaddr.IPv4 | ipaddr.IPv6, number][] } | undefined;

/** This host's interface addresses and their networks (cached for a few seconds: addresses can change). */
function hostNetworks(): [ipaddr.IPv4 | ipaddr.IPv6, number][] {
  if (interfaces && Date.now() - interfaces.at < INTERFACES_TTL_MS) return interfaces.nets;
  const nets: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) {
      try {
        const v4 = a.family === 'IPv4';
        nets.push([ipaddr.parse(a.address.replace(/%.*$/, '')), v4 ? 32 : 128]);
        // The link's network too, unless implausibly wide (a tunnel claiming /0 must not refuse the internet).
        const [net, bits] = ipaddr.parseCIDR(a.cidr ?? '');
        if (bits >= (v4 ? MIN_LINK_BITS_V4 : MIN_LINK_BITS_V6)) nets.push([net, bits]);
      } catch {
        // an address the library cannot read is not one a URL can name either
      }
    }
  interfaces = { at: Date.now(), nets };
  return nets;
}

function isHostAddress(literal: string): boolean {
  const ip = ipaddr.process(literal); // ::ffff:a.b.c.d is compared as a.b.c.d
  return hostNetworks().some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
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
    if (!allowPrivate && !isPublicAddress(host)) throw new UnsafeUrlError('private', NOT_PUBLIC_MESSAGE);
    return { url, addresses: [host] };
  }
  let addresses: string[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw new UnsafeUrlError('unresolvable', `must name a host that resolves (${host} does not)`);
  }
  if (!allowPrivate && (!addresses.length || addresses.some((a) => !isPublicAddress(a))))
    throw new UnsafeUrlError('private', NOT_PUBLIC_MESSAGE);
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
