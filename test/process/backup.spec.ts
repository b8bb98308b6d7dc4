import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { cli, cliRun, ServerProcess, tempDataDir } from '../support/server-process';

jest.setTimeout(300_000);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const BOOTSTRAP = 'lh_' + 'D'.repeat(40);
/** The machine's PostgreSQL, for db:copy (a throwaway database is created there). */
const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function get(s: ServerProcess, key: string, path: string): Promise<Json> {
  const res = await fetch(s.url(path), { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  // Links (receiver URLs) carry the serving origin; servers compared here listen on different ports.
  const origin = new URL(s.url('/')).origin;
  return JSON.parse((await res.text()).replaceAll(origin, 'http://server')) as Json;
}

/** Every list (all pages) and every record of a workspace, as the API returns them. */
async function everything(s: ServerProcess, key: string): Promise<Json> {
  const out: Json = {};
  const lists = ['/api/v1/leads', '/api/v1/pipelines', '/api/v1/tags', '/api/v1/users', '/api/v1/forms'];
  lists.push('/api/v1/automations', '/api/v1/integrations');
  for (const list of lists) {
    const rows: Json[] = [];
    for (let page = 1; ; page++) {
      const body = await get(s, key, `${list}?per_page=100&page=${page}`);
      rows.push(...body.data);
      if (page >= body.meta.last_page) break;
    }
    out[list] = rows;
    for (const row of rows) out[`${list}/${row.id}`] = (await get(s, key, `${list}/${row.id}`)).data;
  }
  for (const form of out['/api/v1/forms'])
    out[`forms/${form.id}/submissions`] = (
      await get(s, key, `/api/v1/forms/${form.id}/submissions?per_page=100`)
    ).data;
  for (const a of out['/api/v1/automations'])
    out[`automations/${a.id}/runs`] = (
      await get(s, key, `/api/v1/automations/${a.id}/runs?per_page=100`)
    ).data;
  for (const p of out['/api/v1/pipelines'])
    out[`pipelines/${p.id}/stages`] = (await get(s, key, `/api/v1/pipelines/${p.id}/stages`)).data;
  return out;
}

describe('backup, restore, db:copy and demo data', () => {
  const source = tempDataDir();
  const env = { DATA_DIR: source, LEADHUB_BOOTSTRAP_KEY: BOOTSTRAP };
  let server: ServerProcess;
  let demoKey: string;
  let before: Json;

  beforeAll(async () => {
    server = await ServerProcess.start(env);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('demo fills a workspace with realistic data through the services', async () => {
    const demo = await cli(['demo', '--workspace', 'demo', '--leads', '60'], env);
    demoKey = demo.key;
    const again = cliRun(['demo', '--workspace', 'demo'], env); // meanwhile: it only reads (and refuses)
    expect(demo).toMatchObject({ workspace: 'demo', leads: 62, submissions: 2 });
    expect(demo.automation_runs).toBeGreaterThan(0);
    const leads = await get(server, demoKey, '/api/v1/leads?per_page=100');
    expect(leads.meta.total).toBe(62);
    expect(new Set(leads.data.map((l: Json) => l.source)).size).toBeGreaterThan(3);
    expect(new Set(leads.data.map((l: Json) => l.status)).size).toBeGreaterThan(3);
    expect((await get(server, demoKey, '/api/v1/pipelines')).data.length).toBe(2);
    expect((await get(server, demoKey, '/api/v1/users')).data.length).toBe(4);
    const tagged = await get(server, demoKey, '/api/v1/leads?tag=web-lead&per_page=1');
    expect(tagged.meta.total).toBeGreaterThan(0); // the automation ran
    expect((await again).stderr).toContain('exists already');
  });

  it('backup while the server runs → restore into an empty data directory → the same API answers', async () => {
    // An integration with secrets: the restored installation must still decrypt them (same masks).
    const res = await fetch(server.url('/api/v1/integrations'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${demoKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'facebook_lead_ads',
        name: 'FB',
        config: {
          page_id: '123',
          access_token: 'EAAB-secret-token-9876',
          app_secret: 'app-secret-abcd',
          verify_token: 'v',
        },
      }),
    });
    expect(res.status).toBe(201);
    before = await everything(server, demoKey);
    expect(before['/api/v1/integrations'][0].config.access_token).toBe('••••9876');

    const file = join(tempDataDir(), 'leadhub.backup');
    const backup = await cli(['backup', '--out', file], env);
    expect(backup).toMatchObject({ secret_key_included: true });
    expect(backup.tables.leads).toBe(62);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip

    const target = tempDataDir();
    const restored = await cli(['restore', '--in', file], { DATA_DIR: target });
    expect(restored.rows).toBe(backup.rows);
    expect(readFileSync(join(target, 'secret.key'), 'utf8')).toBe(
      readFileSync(join(source, 'secret.key'), 'utf8'),
    );
    // Restoring again into the now non-empty database is refused.
    expect((await cliRun(['restore', '--in', file], { DATA_DIR: target })).stderr).toContain('not empty');

    const copy = await ServerProcess.start({ DATA_DIR: target });
    try {
      expect(copy.output).not.toContain('shown only this once'); // not a first start
      expect(await everything(copy, demoKey)).toEqual(before);
      // Sequences came along: a new record gets a fresh id.
      const tag = await fetch(copy.url('/api/v1/tags'), {
        method: 'POST',
        headers: { Authorization: `Bearer ${demoKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'after-restore' }),
      });
      expect(tag.status).toBe(201);
    } finally {
      expect(await copy.stop()).toBe(0);
    }
  });

  it('a backup without the secret key says so loudly; a damaged file is refused', async () => {
    // A damaged file, meanwhile (its own empty data directory).
    const junk = join(tempDataDir(), 'junk');
    require('node:fs').writeFileSync(junk, 'not a backup');
    const junkRestore = cliRun(['restore', '--in', junk], { DATA_DIR: tempDataDir() });
    const file = join(tempDataDir(), 'nokey.backup');
    const run = await cliRun(['backup', '--out', file, '--without-secret-key'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('does NOT include the secret key');
    const target = tempDataDir();
    const restored = await cliRun(['restore', '--in', file], { DATA_DIR: target });
    expect(restored.stdout).toContain('holds no secret key');
    expect(existsSync(join(target, 'secret.key'))).toBe(false);
    expect((await junkRestore).stderr).toContain('not a LeadHub backup');
  });

  it('db:copy moves the embedded installation into a PostgreSQL server; the server runs there on the same data', async () => {
    const name = `leadhub_copy_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${name}` }).toString();
    try {
      const copied = await cli(['db:copy', '--to', url], env);
      expect(copied.tables.leads).toBe(62);
      expect(copied.next).toContain('LEADHUB_SECRET_KEY=$(cat');
      expect((await cliRun(['db:copy', '--to', url], env)).stderr).toContain('not empty');
      const secret = readFileSync(join(source, 'secret.key'), 'utf8').trim();
      const pg = await ServerProcess.start({
        DATABASE_URL: url,
        LEADHUB_SECRET_KEY: secret,
        DATA_DIR: tempDataDir(),
      });
      try {
        const now = await everything(pg, demoKey);
        const tags = (await everything(server, demoKey))['/api/v1/tags'];
        expect(now['/api/v1/tags']).toEqual(tags);
        expect(now['/api/v1/leads']).toEqual(before['/api/v1/leads']);
        expect(now['/api/v1/integrations']).toEqual(before['/api/v1/integrations']);
      } finally {
        await pg.stop();
      }
      // Backup and restore work on DATABASE_URL too (restore into another empty database of the server).
      const file = join(tempDataDir(), 'pg.backup');
      const backup = await cli(['backup', '--out', file], { DATABASE_URL: url, LEADHUB_SECRET_KEY: secret });
      await admin.query(`CREATE DATABASE ${name}_r`);
      const url2 = Object.assign(new URL(PG_ADMIN_URL), { pathname: `/${name}_r` }).toString();
      const dataDir = join(tempDataDir(), 'not-yet');
      const restored = await cli(['restore', '--in', file], { DATABASE_URL: url2, DATA_DIR: dataDir });
      expect(restored.rows).toBe(backup.rows);
      expect(restored.tables).toEqual(backup.tables);
      expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()).toBe(secret);
      // A command that logs a warning (here: no LEADHUB_SECRET_KEY beside DATABASE_URL) keeps it out of the JSON.
      const demo = await cliRun(['demo', '--workspace', 'more', '--leads', '3', '--json'], {
        DATABASE_URL: url2,
        DATA_DIR: dataDir,
      });
      expect(demo.code).toBe(0);
      expect(JSON.parse(demo.stdout)).toMatchObject({
        workspace: 'more',
        key: expect.stringMatching(/^lh_/),
      });
      expect(demo.stderr).toContain('LEADHUB_SECRET_KEY is not set');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}_r WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
