import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, Receiver, waitFor } from './engine-support';

/** A receiver that reads each request and holds it: it never answers unless the test answers one (or closes it). */
class HoldingReceiver {
  readonly open = new Set<ServerResponse>();
  received = 0;
  answered = 0;
  maxOpen = 0;
  private readonly server: Server = createServer((req, res) => {
    this.received++;
    this.open.add(res);
    this.maxOpen = Math.max(this.maxOpen, this.open.size);
    res.on('close', () => this.open.delete(res)); // answered, or the sender gave up
    req.resume();
  });

  static async start(): Promise<HoldingReceiver> {
    const self = new HoldingReceiver();
    await new Promise<void>((r) => self.server.listen(0, '127.0.0.1', r));
    return self;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** Answers the oldest request held (200). */
  answerOne(): void {
    const [res] = this.open;
    this.open.delete(res);
    res.end('ok');
    this.answered++;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const PATIENCE_MS = 40_000;

describe('webhook deliveries: a receiver that never answers only slows itself', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let hole: HoldingReceiver;
  let fast: Receiver;

  beforeAll(async () => {
    // A timeout far longer than the test: a delivery delayed behind the stalled ones would make it time out.
    const config = engineTestConfig();
    t = await TestApp.start({
      config: { ...config, worker: { ...config.worker!, webhookTimeoutMs: 120_000 } },
    });
    hole = await HoldingReceiver.start();
    fast = await Receiver.start();
  });
  afterAll(async () => {
    await hole.close(); // the stalled deliveries fail now, so the worker stops at once
    await t.close();
    await fast.close();
  });

  it("another workspace's webhook is delivered while 30 deliveries to a stalled receiver hang", async () => {
    const attacker = api(t, await (await t.workspace('stalling')).key());
    const victim = api(t, await (await t.workspace('prompt')).key());
    await attacker.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: hole.url('/never') }],
    });
    await victim.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: fast.url('/prompt') }],
    });
    for (let i = 0; i < 30; i++) await attacker.lead({ first_name: `Stall ${i}` });
    await waitFor(
      async () => hole.open.size,
      (n) => n >= 1,
      PATIENCE_MS,
    );
    await victim.lead({ first_name: 'Prompt' });
    // Generous for a loaded machine, and still far below the stalled deliveries' timeout.
    const [req] = await waitFor(
      async () => fast.at('/prompt'),
      (r) => r.length === 1,
      PATIENCE_MS,
    );
    expect(JSON.parse(req.body).workspace.slug).toBe('prompt');
    // The stalled receiver holds as many deliveries as its destination may have in flight (4 by default).
    await waitFor(
      async () => hole.open.size,
      (n) => n === 4,
      PATIENCE_MS,
    );
    // Delivered while every stalled delivery is still hanging (none timed out or failed yet)…
    const stalled = await t.sql<{ status: string; attempts: number; last_error: string | null }>(
      `SELECT d.status, d.attempts, d.last_error FROM webhook_deliveries d
         JOIN automation_runs r ON r.id = d.automation_run_id
         JOIN workspaces w ON w.id = r.workspace_id WHERE w.slug = 'stalling'`,
    );
    expect(stalled).toHaveLength(30);
    for (const d of stalled) expect(d).toMatchObject({ status: 'pending', last_error: null });
    expect(stalled.every((d) => d.attempts <= 1)).toBe(true);
    // …and the stalled destination never had more than its limit in flight.
    expect(hole.maxOpen).toBe(4);
    expect(hole.received).toBe(4);
  });

  it('a workspace stalling many destinations holds at most its own share of the slots', async () => {
    const holes = await Promise.all(Array.from({ length: 12 }, () => HoldingReceiver.start()));
    try {
      const attacker = api(t, await (await t.workspace('stalling-wide')).key());
      const victim = api(t, await (await t.workspace('prompt-wide')).key());
      await attacker.automation({
        trigger: { type: 'lead.created' },
        actions: holes.slice(0, 6).map((h) => ({ type: 'send_webhook', url: h.url('/never') })),
      });
      await attacker.automation({
        trigger: { type: 'lead.created' },
        actions: holes.slice(6).map((h) => ({ type: 'send_webhook', url: h.url('/never') })),
      });
      await victim.automation({
        trigger: { type: 'lead.created' },
        actions: [{ type: 'send_webhook', url: fast.url('/prompt-wide') }],
      });
      for (let i = 0; i < 3; i++) await attacker.lead({ first_name: `Wide ${i}` });
      const inFlight = () => holes.reduce((n, h) => n + h.open.size, 0);
      await waitFor(
        async () => inFlight(),
        (n) => n >= 1,
        PATIENCE_MS,
      );
      await victim.lead({ first_name: 'Prompt' });
      await waitFor(
        async () => fast.at('/prompt-wide'),
        (r) => r.length === 1,
        PATIENCE_MS,
      );
      // 36 deliveries to 12 destinations, but the workspace has at most 8 in flight (its limit).
      await waitFor(
        async () => inFlight(),
        (n) => n === 8,
        PATIENCE_MS,
      );
      expect(holes.reduce((n, h) => n + h.received, 0)).toBe(8);
    } finally {
      await Promise.all(holes.map((h) => h.close()));
    }
  });
});

describe('webhook deliveries: a slot going on with one destination gives way', () => {
  jest.setTimeout(90_000);
  let t: TestApp;
  let gate: HoldingReceiver;
  let fast: Receiver;

  beforeAll(async () => {
    const config = engineTestConfig();
    // One slot in all: whatever holds it decides who waits.
    t = await TestApp.start({ config: { ...config, worker: { ...config.worker!, webhookConcurrency: 1 } } });
    gate = await HoldingReceiver.start();
    fast = await Receiver.start();
  });
  afterAll(async () => {
    await gate.close();
    await t.close();
    await fast.close();
  });

  const pending = async (slug: string) =>
    (
      await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM webhook_deliveries d JOIN workspaces w ON w.id = d.workspace_id
          WHERE w.slug = $1 AND d.status = 'pending'`,
        [slug],
      )
    )[0].n;

  it('a delivery whose URL names no host is still attempted, and retried like any other', async () => {
    const ws = await t.workspace('lane-odd');
    const [{ id }] = await t.sql<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, workspace_id, kind, url, event_type, payload)
       SELECT gen_random_uuid(), w.id, 'webhook', 'http:no-host', 'lead.created', '{}'::jsonb
         FROM workspaces w WHERE w.slug = $1 RETURNING id`,
      [ws.slug],
    );
    const [row] = await waitFor(
      () =>
        t.sql<{ status: string; attempts: number }>(
          'SELECT status, attempts FROM webhook_deliveries WHERE id = $1',
          [id],
        ),
      (rows) => rows[0]?.attempts >= 2,
      PATIENCE_MS,
    );
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });

  it('a delivery queued behind a long run to another receiver waits for at most 16 of them', async () => {
    const busy = api(t, await (await t.workspace('lane-busy')).key());
    const other = api(t, await (await t.workspace('lane-other')).key());
    await busy.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: gate.url('/held') }],
    });
    await other.automation({
      trigger: { type: 'lead.created' },
      actions: [{ type: 'send_webhook', url: fast.url('/waiting') }],
    });
    for (let i = 0; i < 5; i++) await busy.lead({ first_name: `Early ${i}` });
    await waitFor(
      async () => gate.open.size,
      (n) => n === 1,
      PATIENCE_MS,
    );
    await other.lead({ first_name: 'Waiting' });
    await waitFor(
      () => pending('lane-other'),
      (n) => n === 1,
      PATIENCE_MS,
    );
    // 35 more for the busy receiver, all queued after the other workspace's delivery.
    for (let i = 0; i < 35; i++) await busy.lead({ first_name: `Late ${i}` });
    await waitFor(
      () => pending('lane-busy'),
      (n) => n === 40,
      PATIENCE_MS,
    );

    while (!fast.at('/waiting').length) {
      await waitFor(
        async () => gate.open.size + fast.at('/waiting').length,
        (n) => n >= 1,
        PATIENCE_MS,
      );
      if (!fast.at('/waiting').length) gate.answerOne();
    }
    // The slot went on with the busy receiver's next ones, then gave way to the older delivery elsewhere.
    expect(gate.answered).toBeGreaterThanOrEqual(5);
    expect(gate.answered).toBeLessThanOrEqual(16);
    // Everything else still arrives.
    while (gate.answered < 40) {
      await waitFor(
        async () => gate.open.size,
        (n) => n >= 1,
        PATIENCE_MS,
      );
      gate.answerOne();
    }
    await waitFor(
      () => pending('lane-busy'),
      (n) => n === 0,
      PATIENCE_MS,
    );
  });
});
