// Load generator, run as a separate process (child_process.fork) so it does not share a CPU-bound event loop
// with the orchestrator. Receives one scenario over IPC, runs autocannon against 127.0.0.1, sends the summary.
// At 1 connection it sends the requests one after the other itself (node:http, keep-alive) and times each with
// hrtime, so p50/p99 have microsecond resolution (autocannon's histogram counts whole milliseconds).
import autocannon from 'autocannon';
import { Agent, request } from 'node:http';

function requestsFor(s) {
  if (s.kind === 'show') {
    return [
      {
        setupRequest: (req) => ({
          ...req,
          path: `${s.path}/${s.minId + Math.floor(Math.random() * (s.maxId - s.minId + 1))}`,
        }),
      },
    ];
  }
  if (s.kind === 'inbound') {
    let n = 0;
    const tag = `${process.pid}-${Date.now()}`;
    return [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            email: `inbound-${tag}-${n++}@bench.test`,
            first_name: 'Inbound',
            source: 'zapier',
            tags: ['newsletter'],
          }),
        }),
      },
    ];
  }
  return undefined;
}

/** One request after the other for s.duration seconds; exact percentiles of the latencies. */
async function sequential(s) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const reqs = requestsFor(s);
  const base = { path: s.path, method: s.method ?? 'GET', body: s.body ? JSON.stringify(s.body) : undefined };
  const once = () =>
    new Promise((resolve, reject) => {
      const r = reqs ? reqs[0].setupRequest({ ...base }) : base;
      const started = process.hrtime.bigint();
      const req = request(
        {
          host: '127.0.0.1',
          port: s.port,
          path: r.path,
          method: r.method,
          agent,
          headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.statusCode }),
          );
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
  const ms = [];
  let non2xx = 0;
  let errors = 0;
  const until = Date.now() + s.duration * 1000;
  while (Date.now() < until) {
    try {
      const r = await once();
      ms.push(r.ms);
      if (r.status < 200 || r.status > 299) non2xx++;
    } catch {
      errors++;
    }
  }
  agent.destroy();
  ms.sort((a, b) => a - b);
  const at = (q) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] : NaN);
  return {
    requestsPerSec: ms.length / s.duration,
    total: ms.length,
    p50: at(0.5),
    p99: at(0.99),
    non2xx,
    errors,
  };
}

process.on('message', async (s) => {
  if (s.connections === 1) {
    process.send(await sequential(s));
    return;
  }
  const result = await autocannon({
    url: `http://127.0.0.1:${s.port}${s.path}`,
    method: s.method ?? 'GET',
    connections: s.connections,
    duration: s.duration,
    headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
    body: s.body ? JSON.stringify(s.body) : undefined,
    requests: requestsFor(s),
  });
  process.send({
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  });
});
