// Load generator, run as a separate process (child_process.fork) so it does not share a CPU-bound event loop
// with the orchestrator. Receives one scenario over IPC, runs autocannon against 127.0.0.1, sends the summary.
import autocannon from 'autocannon';

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

process.on('message', async (s) => {
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
