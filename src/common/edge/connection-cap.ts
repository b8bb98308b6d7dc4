import { compile } from '@fastify/proxy-addr';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections per remote address, capped below the global MAX_CONNECTIONS: without it one address holding slow
 * sockets (slow-loris, within the timeouts) takes every slot and nobody else can connect. Over the cap a connection
 * is closed at once, before a byte is read. Counted on the socket's own address, so a trusted proxy (TRUST_PROXY)
 * is not capped: it carries many clients, which it caps itself. 0 turns the cap off.
 */
export function capConnectionsPerAddress(
  server: Server,
  max: number,
  trustProxy: boolean | number | string,
): void {
  if (!max) return;
  const isProxy = trustedProxy(trustProxy);
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || isProxy(address)) return; // gone already, or a trusted proxy
    const n = (open.get(address) ?? 0) + 1;
    if (n > max) {
      socket.destroy();
      return;
    }
    open.set(address, n);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/** Whether a peer is a trusted proxy, as Fastify's trustProxy decides (true or a hop count: every peer is). */
function trustedProxy(trust: boolean | number | string): (address: string) => boolean {
  if (trust === false) return () => false;
  if (trust === true || typeof trust === 'number') return () => true;
  const trusted = compile(trust.split(',').map((s) => s.trim()));
  return (address) => trusted(address, 0);
}
