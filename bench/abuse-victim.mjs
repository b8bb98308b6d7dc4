// The victim of `npm run bench:abuse`: steady requests at fixed rates (open loop: sent on schedule whatever the
// answers do) and probe leads whose lead.created automation posts a webhook to a local receiver, which times it.
import { createServer } from 'node:http';
import { timedRequest } from './server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A victim request unanswered this long counts as failed, with this latency. */
/** Victim requests per second, by kind. */
export const RATES = { list: 10, create: 4, inbound: 4, probe: 2 };

/** The victim: steady requests and probe leads whose webhook arrival is timed by a local receiver. */
export class Victim {
  constructor(port, key, grace) {
    Object.assign(this, {
      grace,
      phase: { latencies: [], failed: 0, probes: [] },
      port,
      key,
      n: 0,
      timers: [],
      inflight: new Set(),
      arrived: new Map(),
    });
  }

  async receiver() {
    this.hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const id = JSON.parse(body || '{}')?.data?.lead?.id;
        if (id && !this.arrived.has(id)) this.arrived.set(id, Date.now());
        res.end('ok');
      });
    });
    await new Promise((r) => this.hook.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${this.hook.address().port}/hook`;
  }

  async request(method, path, body) {
    const { status, json, ms } = await timedRequest(this.port, this.key, method, path, body);
    this.phase.latencies.push(ms);
    if (status < 200 || status > 299) this.phase.failed++;
    return { status, json };
  }

  start() {
    this.phase = { latencies: [], failed: 0, probes: [] };
    const every = (rate, work) =>
      this.timers.push(
        setInterval(() => {
          const p = work().finally(() => this.inflight.delete(p));
          this.inflight.add(p);
        }, 1000 / rate),
      );
    every(RATES.list, () => this.request('GET', '/api/v1/leads?per_page=25'));
    every(RATES.create, () =>
      this.request('POST', '/api/v1/leads', { first_name: `V${this.n++}`, tags: ['victim'] }),
    );
    every(RATES.inbound, () =>
      this.request('POST', '/api/inbound/leads?tenant=victim', { email: `v${this.n++}@victim.test` }),
    );
    every(RATES.probe, async () => {
      const res = await this.request('POST', '/api/v1/leads', { first_name: 'Probe', source: 'bench-probe' });
      if (res.status === 201) this.phase.probes.push({ id: res.json.data.id, at: Date.now() });
    });
  }

  /** Stops sending and waits for the answers still due (while the attack goes on). */
  async halt() {
    for (const t of this.timers.splice(0)) clearInterval(t);
    await Promise.allSettled([...this.inflight]);
  }

  /** After halt(): waits up to `grace` s for the probes' webhooks, and sums the phase up. */
  async stop() {
    await this.halt();
    const deadline = Date.now() + this.grace * 1000;
    while (Date.now() < deadline && this.phase.probes.some((p) => !this.arrived.has(p.id))) await sleep(100);
    const sorted = [...this.phase.latencies].sort((a, b) => a - b);
    const q = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? NaN;
    const delays = this.phase.probes
      .filter((p) => this.arrived.has(p.id))
      .map((p) => (this.arrived.get(p.id) - p.at) / 1000)
      .sort((a, b) => a - b);
    return {
      requests: sorted.length,
      failed: this.phase.failed,
      p50: q(0.5),
      p99: q(0.99),
      delayP50: delays[Math.floor(delays.length / 2)] ?? NaN,
      delayMax: delays.at(-1) ?? NaN,
      probes: this.phase.probes.length,
      lost: this.phase.probes.length - delays.length,
    };
  }
}
