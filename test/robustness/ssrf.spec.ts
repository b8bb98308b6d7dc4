import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { TestApp } from '../support/test-app';
import { AppConfig } from '../../src/config/app-config';
import { api, engineTestConfig, waitFor } from '../engine/engine-support';

/** Every class of address a webhook must not reach, as a URL host (literal, in the spellings URLs allow). */
const REFUSED: [string, string][] = [
  ['loopback', '127.0.0.1'],
  ['loopback, decimal spelling', '2130706433'],
  ['loopback, hex spelling', '0x7f.1'],
  ['this network', '0.0.0.0'],
  ['private 10/8', '10.0.0.1'],
  ['private 172.16/12', '172.16.5.4'],
  ['private 192.168/16', '192.168.1.1'],
  ['CGNAT 100.64/10', '100.64.0.1'],
  ['link-local / metadata', '169.254.169.254'],
  ['IETF protocol assignments', '192.0.0.8'],
  ['TEST-NET-1', '192.0.2.1'],
  ['TEST-NET-2', '198.51.100.7'],
  ['TEST-NET-3', '203.0.113.9'],
  ['benchmarking 198.18/15', '198.19.255.1'],
  ['multicast', '224.0.0.1'],
  ['reserved 240/4', '240.0.0.1'],
  ['broadcast', '255.255.255.255'],
  ['IPv6 loopback', '[::1]'],
  ['IPv6 unspecified', '[::]'],
  ['IPv6 link-local', '[fe80::1]'],
  ['IPv6 unique local', '[fd12:3456::1]'],
  ['IPv6 site-local', '[fec0::1]'],
  ['IPv6 multicast', '[ff02::1]'],
  ['IPv6 documentation', '[2001:db8::1]'],
  ['IPv6 outside 2000::/3', '[4000::1]'],
  ['IPv4-mapped loopback', '[::ffff:127.0.0.1]'],
  ['IPv4-mapped, hex spelling', '[::ffff:7f00:1]'],
  ['IPv4-mapped, full spelling', '[0:0:0:0:0:ffff:7f00:1]'],
  ['IPv4-mapped private', '[::ffff:10.0.0.1]'],
  ['IPv4-translated', '[::ffff:0:7f00:1]'],
  ['IPv4-compatible', '[::127.0.0.1]'],
  ['IPv4-compatible, public inside', '[::8.8.8.8]'],
  ['6to4 embedding 127.0.0.1', '[2002:7f00:1::]'],
  ['6to4 embedding TEST-NET-1', '[2002:c000:201::1]'],
  ['NAT64 embedding loopback', '[64:ff9b::7f00:1]'],
  ['NAT64 embedding private', '[64:ff9b::10.1.2.3]'],
  ['NAT64 local-use prefix', '[64:ff9b:1::808:808]'],
  ['Teredo with a loopback client', '[2001:0:4136:e378:8000:63bf:80ff:fffe]'],
  ['Teredo with a private server', '[2001:0:a00:1:8000:63bf:f7f7:f7f7]'],
  // This host's own addresses, whatever their class (on a host with a public address, that one too).
  ...Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && !a.address.includes('%') && !a.address.startsWith('fe80'))
    .map((a): [string, string] => ['this host', a!.family === 'IPv6' ? `[${a!.address}]` : a!.address]),
];

describe('SSRF guard: every non-public destination is refused, when defined and when sent', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await TestApp.start({ config: { ...engineTestConfig(), allowPrivateUrls: false } });
    key = await (await t.workspace('ssrf')).key();
  });
  afterAll(() => t.close());

  it.each(REFUSED)('422 for %s (%s): webhook integration and send_webhook action', async (_, host) => {
    const url = `http://${host}:8080/hook`;
    const integration = await t.post(
      '/api/v1/integrations',
      { type: 'webhook', name: 'Hook', config: { url, event_types: ['lead.created'] } },
      { key },
    );
    expect(integration.status).toBe(422);
    expect(Object.keys(integration.body.errors)).toEqual(['config.url']);
    expect(integration.body.errors['config.url'][0]).toMatch(/must point at a public internet address/);
    const automation = await t.post(
      '/api/v1/automations',
      { name: 'Hook', trigger: { type: 'lead.created' }, actions: [{ type: 'send_webhook', url }] },
      { key },
    );
    expect(automation.status).toBe(422);
    expect(Object.keys(automation.body.errors)).toEqual(['actions.0.url']);
  });

  it('accepts globally routable addresses, also inside transition forms', async () => {
    for (const host of ['93.184.215.14', '[2606:4700::1111]', '[::ffff:8.8.8.8]', '[64:ff9b::8.8.8.8]']) {
      const res = await t.post(
        '/api/v1/integrations',
        {
          type: 'webhook',
          name: 'Public',
          config: { url: `https://${host}/hook`, event_types: ['lead.created'] },
        },
        { key },
      );
      expect(res.status).toBe(201);
    }
  });

  it('checks again at send time (a name now resolving to loopback, this host): fails without connecting and reveals no status', async () => {
    let connections = 0;
    const server: Server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    const port = (server.address() as AddressInfo).port;
    const own = REFUSED.filter(([label]) => label === 'this host').map(([, host]) => host);
    const urls = [`http://localhost:${port}/by-name`, ...own.map((h) => `http://${h}:${port}/own`)];
    try {
      const a = api(t, key);
      // Saved while private URLs were allowed (as if the name resolved elsewhere then)…
      const appConfig = t.app.get(AppConfig);
      appConfig.allowPrivateUrls = true;
      const automation = await a.automation({
        trigger: { type: 'lead.created' },
        actions: urls.map((url) => ({ type: 'send_webhook', url })),
      });
      // …and sent by a worker that does not allow them.
      appConfig.allowPrivateUrls = false;
      await a.lead({ first_name: 'Mallory' });
      const [run] = await waitFor(
        () => a.runs(automation.id),
        (runs) => runs[0]?.status === 'failed',
        30_000,
      );
      const rows = await t.sql<{ status: string; attempts: number; last_status_code: number | null }>(
        'SELECT status, attempts, last_status_code FROM webhook_deliveries WHERE automation_run_id = $1',
        [run.id],
      );
      expect(rows).toHaveLength(urls.length);
      for (const row of rows) expect(row).toEqual({ status: 'failed', attempts: 1, last_status_code: null });
      expect(connections).toBe(0);
      expect(run.error).toMatch(/URL refused: must point at a public internet address/);
      expect(run.error).not.toMatch(/HTTP \d|ECONN|refused by|timed out/);
    } finally {
      t.app.get(AppConfig).allowPrivateUrls = false;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
