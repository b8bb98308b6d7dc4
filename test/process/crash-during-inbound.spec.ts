import { ServerProcess, tempDataDir } from '../support/server-process';

const KEY = 'lh_' + 'C'.repeat(40);
const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
const email = (i: number) => [`burst-${i}`, 'example.com'].join('@');

/** What a client does: send, and send again while the server answers 503 (busy, e.g. every connection in use). */
async function inboundRetrying(s: ServerProcess, i: number): Promise<{ status: number; leadId?: number }> {
  for (let attempt = 1; ; attempt++) {
    const r = await inbound(s, i);
    if (r.status !== 503 || attempt === 5) return r;
    await new Promise((done) => setTimeout(done, 200 * attempt));
  }
}

async function inbound(s: ServerProcess, i: number): Promise<{ status: number; leadId?: number }> {
  try {
    const res = await fetch(s.url('/api/inbound/leads?tenant=default'), {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: email(i), first_name: `Burst ${i}`, source: 'zapier' }),
    });
    const body = (await res.json()) as { lead_id?: number };
    return { status: res.status, leadId: body.lead_id };
  } catch {
    return { status: 0 }; // the connection died with the server
  }
}

describe('kill -9 of the server during a burst of inbound leads', () => {
  it('keeps every lead that got a 201, and creates no duplicate when clients retry', async () => {
    // 400 clients retrying at once: in production they come from many addresses, here all from 127.0.0.1.
    const env = { DATA_DIR: tempDataDir(), LEADHUB_BOOTSTRAP_KEY: KEY, MAX_CONNECTIONS_PER_ADDRESS: '0' };
    const total = 400;
    const first = await ServerProcess.start(env);
    const acknowledged = new Map<number, number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < total && !killed) {
        const i = next++;
        const r = await inbound(first, i);
        if (r.status === 201 && r.leadId) acknowledged.set(i, r.leadId);
        if (acknowledged.size >= 120 && !killed) {
          killed = true;
          first.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await first.stop('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(120);

    const second = await ServerProcess.start(env);
    try {
      for (const [, leadId] of acknowledged) {
        const res = await fetch(second.url(`/api/v1/leads/${leadId}`), { headers });
        expect(res.status).toBe(200);
      }
      // Clients retry everything they sent (or were about to send): acknowledged ones are duplicates now.
      const retried = await Promise.all(Array.from({ length: total }, (_, i) => inboundRetrying(second, i)));
      for (const [i, leadId] of acknowledged) {
        expect(retried[i]).toEqual({ status: 200, leadId });
      }
      expect(retried.filter((r) => r.status !== 200 && r.status !== 201)).toEqual([]);
      const list = await fetch(second.url('/api/v1/leads?per_page=1'), { headers });
      const { meta } = (await list.json()) as { meta: { total: number } };
      expect(meta.total).toBe(total); // one lead per email, none lost, none doubled
    } finally {
      await second.stop();
    }
  }, 240_000);
});
