import { ApiException } from '../errors/api.exception';

// A host name (letters, digits, `-`, `_`, dots), an IPv4 address or a bracketed IPv6 address, with an optional port.
const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

interface LinkRequest {
  protocol: string;
  host?: string;
  hostname: string;
}

/**
 * The scheme and host absolute links start with: APP_URL when set; otherwise the request's, where Fastify reads
 * X-Forwarded-Proto/-Host only from a trusted proxy (TRUST_PROXY). A host that is not a host name (or a scheme
 * other than http/https) is a 400, never a link to somewhere else or a 500.
 */
export function publicBaseUrl(req: LinkRequest, appUrl: string | undefined): string {
  if (appUrl) return appUrl.replace(/\/+$/, '');
  const host = req.host ?? req.hostname;
  const scheme = req.protocol;
  if (scheme !== 'http' && scheme !== 'https')
    throw new ApiException('BAD_REQUEST', 'The X-Forwarded-Proto header is not http or https.');
  if (typeof host !== 'string' || !HOST.test(host) || Number(host.split(':').pop()) > 65535)
    throw new ApiException('BAD_REQUEST', 'The Host header is not a valid host name.');
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    throw new ApiException('BAD_REQUEST', 'The Host header is not a valid host name.');
  }
}
