import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections per remote address, capped below the global MAX_CONNECTIONS: without it one address holding slow
 * sockets (slow-loris, within the timeouts) takes every slot and nobody else can connect. Over the cap a connection
 * is closed at once, before a byte is read. Counted on the socket's own address: behind a proxy every connection is
 * the proxy's (see MAX_CONNECTIONS_PER_ADDRESS in the README). 0 turns the cap off.
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  if (!max) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined) return; // already gone
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
