// The traffic of `npm run bench:soak`: closed-loop connections, each picking its next request from a weighted mix.
// Latencies and non-2xx answers are summed per sample (a minute); a local receiver counts webhook deliveries.
import { createServer } from 'node:http';
import { timedRequest } from './server.mjs';

/** A request unanswered this long counts as failed, with this latency. */
const STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost'];
const SOURCES = ['website', 'referral', 'zapier', 'facebook', 'google'];
const NAMES = ['anna', 'ben', 'carla', 'dimitri', 'emma', 'farid', 'greta', 'hugo', 'ines', 'jon'];
const pick = (list) => list[Math.floor(Math.random() * list.length)];
/** Search-as-you-type: a name typed one character at a time, so 1–3 character terms are common. */
const searchTerm = () => {
  const name = pick(NAMES);
  return name.slice(0, 1 + Math.floor(Math.random() * name.length));
};

export class SoakClient {
  constructor(port, key, slug) {
    Object.assign(this, { port, key, slug, n: 0, ids: [], received: 0, running: false, loops: [] });
    this.reset();
    const mix = {
      list: [20, () => this.call('GET', '/api/v1/leads?per_page=25')],
      filtered: [
        10,
        () => this.call('GET', `/api/v1/leads?per_page=25&status=${pick(STATUSES)}&source=${pick(SOURCES)}`),
      ],
      search: [
        15,
        () => this.call('GET', `/api/v1/leads?per_page=25&search=${encodeURIComponent(searchTerm())}`),
      ],
      show: [5, () => this.withLead((id) => this.call('GET', `/api/v1/leads/${id}`))],
      create: [15, () => this.create()],
      inbound: [10, () => this.inbound()],
      tags: [10, () => this.tags()],
      update: [
        15,
        () => this.withLead((id) => this.call('PATCH', `/api/v1/leads/${id}`, { status: pick(STATUSES) })),
      ],
    };
    this.weights = Object.entries(mix);
    this.total = this.weights.reduce((s, [, [w]]) => s + w, 0);
  }

  mix() {
    return this.weights.map(([name, [w]]) => `${name} ${Math.round((100 * w) / this.total)}%`).join(', ');
  }

  reset() {
    this.latencies = [];
    /** Latency sum and count per kind of request (list, search, create, …), to tell which kind got slower. */
    this.byKind = {};
    this.failed = 0;
    /** Failed requests by route and status, to tell what failed. */
    this.failures = {};
    this.since = Date.now();
  }

  /** A local receiver for the automation's webhooks; counts what arrives. */
  async receiver() {
    this.hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.received++;
        res.end('ok');
      });
    });
    await new Promise((r) => this.hook.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${this.hook.address().port}/hook`;
  }

  /** The workspace's automations: a tag on every new lead, a webhook on every status change. */
  async setUp(hook) {
    for (const body of [
      {
        name: 'tag new leads',
        trigger: { type: 'lead.created' },
        actions: [{ type: 'add_tag', tag: 'new-lead' }],
      },
      {
        name: 'tell the CRM about status changes',
        trigger: { type: 'lead.status_changed' },
        actions: [{ type: 'send_webhook', url: hook }],
      },
    ]) {
      const res = await this.call('POST', '/api/v1/automations', body);
      if (res.status !== 201)
        throw new Error(`automation not created (${res.status}): ${JSON.stringify(res.json)}`);
    }
    // Something to read and update from the first request on.
    for (let i = 0; i < 20; i++) await this.create();
    this.reset();
  }

  /** One request; a status outside 2xx (and `alsoOk`) counts as failed. */
  async call(method, path, body, alsoOk = []) {
    const { status, json, ms } = await timedRequest(this.port, this.key, method, path, body);
    this.latencies.push(ms);
    if ((status < 200 || status > 299) && !alsoOk.includes(status)) {
      this.failed++;
      const route = `${method} ${path.replace(/\?.*/, '').replace(/\/\d+/g, '/:id')} ${status}`;
      this.failures[route] = (this.failures[route] ?? 0) + 1;
    }
    if (json?.meta?.total !== undefined && path.endsWith('per_page=25')) this.leads = json.meta.total;
    return { status, json };
  }

  /** `work` on a lead this client created (a create while it has none yet). */
  withLead(work) {
    return this.ids.length ? work(pick(this.ids)) : this.create();
  }

  remember(id) {
    if (!id) return;
    // A bounded sample of lead ids, refreshed as leads are created.
    if (this.ids.length < 5000) this.ids.push(id);
    else this.ids[Math.floor(Math.random() * this.ids.length)] = id;
  }

  async create() {
    const i = this.n++;
    const res = await this.call('POST', '/api/v1/leads', {
      first_name: `${pick(NAMES)}${i}`,
      last_name: pick(NAMES),
      email: `soak-${process.pid}-${i}@bench.test`,
      source: pick(SOURCES),
      tags: [pick(['hot', 'warm', 'cold']), `batch-${i % 50}`],
    });
    this.remember(res.json?.data?.id);
  }

  /** A third of the inbound leads repeat an earlier e-mail address: duplicates. */
  async inbound() {
    const i = this.n++;
    const email =
      Math.random() < 1 / 3 && i > 10
        ? `inbound-${Math.floor(Math.random() * i)}@bench.test`
        : `inbound-${i}@bench.test`;
    const res = await this.call('POST', `/api/inbound/leads?tenant=${this.slug}`, {
      email,
      first_name: pick(NAMES),
      source: 'zapier',
    });
    this.remember(res.json?.lead_id ?? res.json?.data?.lead_id);
  }

  /** Tag routes: add a tag to a lead, take one off, list the tags. */
  async tags() {
    const r = Math.random();
    if (r < 0.4)
      return this.withLead((id) =>
        this.call('POST', `/api/v1/leads/${id}/tags`, { tag: pick(['vip', 'follow-up', 'cold']) }),
      );
    // The lead may not have the tag: 404 is an answer, not a failure.
    if (r < 0.7)
      return this.withLead((id) => this.call('DELETE', `/api/v1/leads/${id}/tags/vip`, undefined, [404]));
    return this.call('GET', '/api/v1/tags');
  }

  next() {
    let x = Math.random() * this.total;
    for (const [name, [w, fn]] of this.weights) if ((x -= w) < 0) return this.timed(name, fn);
    return this.timed(this.weights[0][0], this.weights[0][1][1]);
  }

  async timed(kind, fn) {
    const t = performance.now();
    await fn();
    const k = (this.byKind[kind] ??= { n: 0, ms: 0 });
    k.n++;
    k.ms += performance.now() - t;
  }

  run(connections) {
    this.running = true;
    this.reset();
    this.loops = Array.from({ length: connections }, async () => {
      while (this.running) await this.next();
    });
  }

  /** The sample since the last one: throughput, p50/p99, non-2xx, the workspace's lead count. */
  sample() {
    const sorted = this.latencies.sort((a, b) => a - b);
    const q = (f) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? NaN;
    const s = {
      rps: sorted.length / ((Date.now() - this.since) / 1000),
      p50: q(0.5),
      p99: q(0.99),
      failed: this.failed,
      failures: this.failures,
      leads: this.leads ?? NaN,
      byKind: Object.fromEntries(Object.entries(this.byKind).map(([k, v]) => [k, v.ms / v.n])),
    };
    this.reset();
    return s;
  }

  async stop() {
    this.running = false;
    await Promise.allSettled(this.loops);
  }
}
