// A counting TCP proxy in front of PostgreSQL: the bench points a second server at it to count the round trips
// (and statements) each request makes. It reads the frontend protocol: a round trip ends with Sync ('S', the
// extended protocol: Parse/Bind/Execute…Sync) or is one simple Query ('Q'); a statement is a Parse or a Query.
// Only the client → server direction is parsed; bytes pass through unchanged.
import { connect, createServer } from 'node:net';

/**
 * Listens on 127.0.0.1 (a free port) and forwards to host:port. `counts` accumulates over all connections;
 * `reset()` zeroes it; with `capture` the statements' text is kept in `statements` (to compare with a ceiling).
 */
export function startCounter({ host, port }) {
  const counts = { roundTrips: 0, statements: 0 };
  const state = { capture: false, statements: [] };
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(port, host);
    sockets.add(client);
    sockets.add(upstream);
    let buf = Buffer.alloc(0);
    let started = false; // the startup packet (and an SSLRequest) has no type byte
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          if (code !== 80877103 && code !== 80877104) started = true; // not SSLRequest / GSSENCRequest
          continue;
        }
        if (buf.length < 5) break;
        const type = String.fromCharCode(buf[0]);
        const len = buf.readInt32BE(1);
        if (buf.length < 1 + len) break;
        if (type === 'S' || type === 'Q') counts.roundTrips++;
        if (type === 'P' || type === 'Q') {
          counts.statements++;
          if (state.capture) {
            // Parse: name\0 query\0 …; Query: query\0
            const body = buf.subarray(5, 1 + len);
            const text =
              type === 'Q'
                ? body.subarray(0, body.indexOf(0)).toString()
                : body.subarray(body.indexOf(0) + 1, body.indexOf(0, body.indexOf(0) + 1)).toString();
            state.statements.push(text.replace(/\s+/g, ' ').trim());
          }
        }
        buf = buf.subarray(1 + len);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: server.address().port,
        counts,
        get statements() {
          return state.statements;
        },
        capture(on) {
          state.capture = on;
          state.statements = [];
        },
        reset() {
          counts.roundTrips = 0;
          counts.statements = 0;
        },
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}
