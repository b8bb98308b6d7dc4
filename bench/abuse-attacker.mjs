// The attacker of `npm run bench:abuse`, forked so that building megabyte bodies and holding hundreds of sockets
// does not share an event loop with the victim's measurements. Receives {cls, port, key, slug, address} over IPC,
// sets its class up, answers 'ready', attacks until told 'stop', cleans up and answers its counts. Connects to
// 127.0.0.1 from its own loopback address (`address`, 127.0.0.2 by default), as an attacker on another machine
// would: per-address budgets and caps then tell it from the victim (127.0.0.1).
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createServer, Socket } from 'node:net';

const counts = { requests: 0, errors: 0, statuses: {} };
let running = true;
/** Aborts whatever is in flight when the class ends: the attacker's answers do not matter. */
const stopAll = new AbortController();
const cleanups = [];
/** Keep-alive connections, like fetch's; bound to the attacker's own address through each request's localAddress. */
const agent = new Agent({ keepAlive: true });

function count(status) {
  counts.requests++;
  counts.statuses[status] = (counts.statuses[status] ?? 0) + 1;
}

/** One request from the attacker's address; its answer is read and dropped (only the status counts). */
function call(c, method, path, { key = c.key, body, raw } = {}) {
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return new Promise((resolve) => {
    const fail = () => {
      counts.errors++;
      resolve({ status: 0 });
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: c.port,
        localAddress: c.address,
        agent,
        method,
        path,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...(payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) }),
        },
        signal: AbortSignal.any([stopAll.signal, AbortSignal.timeout(15_000)]),
      },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('error', fail);
        res.on('end', () => {
          count(res.statusCode);
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON after all */
          }
          resolve({ status: res.statusCode, json });
        });
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** `n` loops doing `work` until stopped. */
const loops = (n, work) =>
  Array.from({ length: n }, async () => {
    while (running) await work();
  });

/** A JSON object of ~110,000 short keys, just under the 1 MB body limit (class-transformer's quadratic case). */
function hugeObject(extra) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < 990_000; i++) {
    const part = `"${i.toString(36)}":0`;
    parts.push(part);
    size += part.length + 1;
  }
  const head = Object.entries(extra).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{${[...head, ...parts].join(',')}}`;
}

async function automation(c, definition) {
  const res = await call(c, 'POST', '/api/v1/automations', { body: definition });
  if (res.status !== 201) throw new Error(`attacker automation not created: ${res.status}`);
  cleanups.push(() => call(c, 'DELETE', `/api/v1/automations/${res.json.data.id}`));
}

const CLASSES = {
  /** Bodies of ~110,000 keys to an inbound and a normal route. */
  'huge-key bodies': async (c) => {
    const inbound = hugeObject({ email: 'huge@attacker.test' });
    const lead = hugeObject({ first_name: 'Huge' });
    return () => [
      ...loops(1, () => call(c, 'POST', `/api/inbound/leads?tenant=${c.slug}`, { raw: inbound })),
      ...loops(1, () => call(c, 'POST', '/api/v1/leads', { raw: lead })),
    ];
  },

  /** An automation on lead.updated whose 6 actions each change the lead again, fed by steady PATCHes. */
  'automation storm': async (c) => {
    await automation(c, {
      name: 'storm',
      trigger: { type: 'lead.updated', conditions: [] },
      actions: [
        { type: 'add_tag', tag: 'storm' },
        { type: 'remove_tag', tag: 'storm' },
        { type: 'set_status', status: 'contacted' },
        { type: 'set_status', status: 'new' },
        { type: 'set_field', field: 'lead_score', value: 1 },
        { type: 'set_field', field: 'lead_score', value: 2 },
      ],
    });
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await call(c, 'POST', '/api/v1/leads', { body: { first_name: `S${i}` } })).json.data.id);
    let n = 0;
    return () =>
      loops(1, async () => {
        await call(c, 'PATCH', `/api/v1/leads/${ids[n % ids.length]}`, { body: { notes: `storm ${n++}` } });
        await new Promise((r) => setTimeout(r, 500));
      });
  },

  /** Webhooks to a receiver that accepts connections and never answers, for every lead the attacker creates. */
  'stalled webhook receivers': async (c) => {
    const held = new Set();
    const tarpit = createServer((s) => {
      held.add(s);
      s.on('error', () => undefined);
      s.on('close', () => held.delete(s));
    });
    await new Promise((r) => tarpit.listen(0, '127.0.0.1', r));
    cleanups.push(async () => {
      for (const s of held) s.destroy();
      await new Promise((r) => tarpit.close(r));
    });
    const url = `http://127.0.0.1:${tarpit.address().port}/hook`;
    await automation(c, {
      name: 'tarpit',
      trigger: { type: 'lead.created', conditions: [] },
      actions: [{ type: 'send_webhook', url }],
    });
    let n = 0;
    return () =>
      loops(2, async () => {
        await call(c, 'POST', '/api/v1/leads', { body: { first_name: `T${n++}` } });
        await new Promise((r) => setTimeout(r, 100));
      });
  },

  /** Requests with random keys (some with 900 KB bodies) and readiness probes, as fast as they are answered. */
  'random-key flood': async (c) => {
    const big = JSON.stringify({ first_name: 'x', notes: 'n'.repeat(900_000) });
    const randomKey = () => `lh_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'a').slice(0, 40)}`;
    return () => [
      ...loops(48, () => call(c, 'GET', '/api/v1/leads', { key: randomKey() })),
      ...loops(8, () => call(c, 'POST', '/api/v1/leads', { key: randomKey(), raw: big })),
      ...loops(8, () => call(c, 'GET', '/api/v1/health/ready')),
    ];
  },

  /** 500 connections that send their headers or their body a byte at a time (slow-loris). */
  'slow connections': async (c) => {
    const sockets = new Set();
    const stats = { opened: 0, cut: 0 };
    counts.slow = stats;
    const open = (i) => {
      if (!running) return;
      const s = new Socket();
      sockets.add(s);
      stats.opened++;
      const head = `POST /api/inbound/leads?tenant=${c.slug} HTTP/1.1\r\nHost: 127.0.0.1\r\n`;
      const first =
        i % 2
          ? `${head}Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n{`
          : 'POST /api/v1/le';
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        clearInterval(s.drip);
        if (running) {
          stats.cut++;
          setTimeout(() => open(i), 200);
        }
      });
      s.connect({ port: c.port, host: '127.0.0.1', localAddress: c.address }, () => {
        s.write(first);
        s.drip = setInterval(() => s.write(i % 2 ? ' ' : 'a'), 5_000);
      });
    };
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
    });
    return () => {
      for (let i = 0; i < 500; i++) open(i);
      return [];
    };
  },
};

process.on('message', async (msg) => {
  if (msg.type === 'start') {
    try {
      const attack = await CLASSES[msg.config.cls](msg.config);
      process.send({ type: 'ready' });
      const work = attack();
      process.once('message', async () => {
        running = false;
        stopAll.abort();
        await Promise.race([Promise.allSettled(work), new Promise((r) => setTimeout(r, 5_000))]);
        for (const clean of cleanups) await clean().catch(() => undefined);
        process.send({ type: 'done', counts });
      });
    } catch (err) {
      process.send({ type: 'failed', error: String(err?.message ?? err) });
    }
  }
});
