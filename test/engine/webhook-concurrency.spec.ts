import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TestApp } from '../support/test-app';
import { api, engineTestConfig, Receiver, waitFor } from './engine-support';

/** A receiver that reads each request and never answers (until closed). */
class BlackHole {
  readonly open = new Set<ServerResponse>();
  received = 0;
  maxOpen = 0;
  private readonly server: Server = createServer((req, res) => {
    this.received++;
    this.open.add(res);
    this.maxOpen = Math.max(this.maxOpen, this.open.size);
    res.on('close', () => this.open.delete(res)); // the connection went away: the sender gave up
    req.resume();
  });

  static async start(): Promise<BlackHole> {
    const self = new BlackHole();
    await new Promise<void>((r) => self.server.listen(0, '127.0.0.1', r));
    return self;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
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
  let hole: BlackHole;
  let fast: Receiver;
  const timeout = process.env.LEADHUB_WEBHOOK_TIMEOUT_MS;

  beforeAll(async () => {
    const config = engineTestConfig();
    // Far longer than the test: a delivery delayed behind the stalled ones would make it time out.
    process.env.LEADHUB_WEBHOOK_TIMEOUT_MS = '120000';
    t = await TestApp.start({
      config: { ...config, worker: { ...config.worker!, webhookTimeoutMs: 120_000 } },
    });
    hole = await BlackHole.start();
    fast = await Receiver.start();
  });
  afterAll(async () => {
    await hole.close(); // the stalled deliveries fail now, so the worker stops at once
    await t.close();
    await fast.close();
    if (timeout === undefined) delete process.env.LEADHUB_WEBHOOK_TIMEOUT_MS;
    else process.env.LEADHUB_WEBHOOK_TIMEOUT_MS = timeout;
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
    const holes = await Promise.all(Array.from({ length: 12 }, () => BlackHole.start()));
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
