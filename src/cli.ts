import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { ApiKey } from './api-keys/api-key.entity';
import { ApiKeysService } from './api-keys/api-keys.service';
import { APP_VERSION } from './common/app-version';
import { isoTimestamp } from './common/time';
import { loadConfig } from './config/config';
import { dataSourceOptions, runMigrations } from './database/data-source';
import { startEmbeddedPostgres } from './database/embedded';
import { Workspace } from './workspaces/workspace.entity';
import { WorkspacesService } from './workspaces/workspaces.service';
import { parseIsoDate } from './common/validation/iso-date';

interface Services {
  workspaces: WorkspacesService;
  keys: ApiKeysService;
}

/** Opens the same database the server uses (DATABASE_URL, or the embedded cluster of DATA_DIR, shared if running). */
async function withServices<T>(work: (s: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    await runMigrations(url);
    const ds = new DataSource({ ...dataSourceOptions({ url }), poolSize: 2 });
    await ds.initialize();
    try {
      return await work({
        workspaces: new WorkspacesService(ds.getRepository(Workspace)),
        keys: new ApiKeysService(ds.getRepository(ApiKey)),
      });
    } finally {
      await ds.destroy();
    }
  } finally {
    await embedded?.stop();
  }
}

function workspaceJson(w: Workspace) {
  return { id: w.id, slug: w.slug, name: w.name, created_at: isoTimestamp(w.createdAt) };
}

function keyJson(k: ApiKey) {
  return {
    id: k.id,
    workspace_id: k.workspaceId,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    rate_limit: k.rateLimit,
    expires_at: isoTimestamp(k.expiresAt),
    revoked_at: isoTimestamp(k.revokedAt),
    last_used_at: isoTimestamp(k.lastUsedAt),
    created_at: isoTimestamp(k.createdAt),
  };
}

function print(json: boolean, value: unknown, human: () => string) {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** The API's date rule (src/common/validation/iso-date.ts): years 0001–9999, real days and times. */
function isoDate(v: string): Date {
  const d = parseIsoDate(v);
  if (!d)
    throw new InvalidArgumentError('must be an ISO 8601 date or date-time between the years 0001 and 9999');
  return new Date(d.ms);
}

async function requireWorkspace(s: Services, slug: string): Promise<Workspace> {
  const ws = await s.workspaces.findBySlug(slug);
  if (!ws) throw new Error(`No workspace with slug "${slug}"`);
  return ws;
}

export function buildCli(): Command {
  const program = new Command('leadhub')
    .version(APP_VERSION)
    .description('Manage LeadHub workspaces and API keys');

  program
    .command('workspace:create')
    .description('Create a workspace (tenant)')
    .requiredOption('--slug <slug>', 'unique slug: lowercase letters, digits, dashes')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'print JSON')
    .action((o: { slug: string; name: string; json?: boolean }) =>
      withServices(async (s) => {
        const ws = await s.workspaces.create(o.slug, o.name);
        print(!!o.json, workspaceJson(ws), () => `Created workspace ${ws.slug} (id ${ws.id})`);
      }),
    );

  program
    .command('workspace:list')
    .description('List workspaces')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withServices(async (s) => {
        const all = await s.workspaces.list();
        print(
          !!o.json,
          all.map(workspaceJson),
          () => all.map((w) => `${w.id}\t${w.slug}\t${w.name}`).join('\n') || '(none)',
        );
      }),
    );

  program
    .command('key:create')
    .description('Create an API key; the key is shown once')
    .requiredOption('--workspace <slug>', 'workspace slug')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--scopes <scopes>', 'comma-separated scopes (read:leads,write:leads,…) or *')
    .option('--rate-limit <n>', 'requests per hour', positiveInt)
    .option('--expires-at <iso>', 'expiry (ISO 8601)', isoDate)
    .option('--json', 'print JSON')
    .action(
      (o: {
        workspace: string;
        name: string;
        scopes: string;
        rateLimit?: number;
        expiresAt?: Date;
        json?: boolean;
      }) =>
        withServices(async (s) => {
          const workspace = await requireWorkspace(s, o.workspace);
          const scopes = o.scopes
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
          const { key, plaintext } = await s.keys.create({
            workspace,
            name: o.name,
            scopes,
            rateLimit: o.rateLimit,
            expiresAt: o.expiresAt,
          });
          print(
            !!o.json,
            { ...keyJson(key), key: plaintext },
            () =>
              `Created key ${key.id} for ${workspace.slug}. Store it now, it is not shown again:\n${plaintext}`,
          );
        }),
    );

  program
    .command('key:list')
    .description("List a workspace's API keys (never the keys themselves)")
    .requiredOption('--workspace <slug>', 'workspace slug')
    .option('--json', 'print JSON')
    .action((o: { workspace: string; json?: boolean }) =>
      withServices(async (s) => {
        const workspace = await requireWorkspace(s, o.workspace);
        const keys = await s.keys.listForWorkspace(workspace.id);
        print(
          !!o.json,
          keys.map(keyJson),
          () =>
            keys
              .map(
                (k) =>
                  `${k.id}\t${k.prefix}…\t${k.name}\t${k.scopes.join(',')}\t${k.revokedAt ? 'revoked' : 'active'}`,
              )
              .join('\n') || '(none)',
        );
      }),
    );

  program
    .command('key:revoke')
    .description('Revoke an API key (takes effect within seconds on running servers)')
    .requiredOption('--id <id>', 'key id', positiveInt)
    .option('--json', 'print JSON')
    .action((o: { id: number; json?: boolean }) =>
      withServices(async (s) => {
        const key = await s.keys.revoke(o.id);
        if (!key) throw new Error(`No API key with id ${o.id}`);
        print(!!o.json, keyJson(key), () => `Revoked key ${key.id} (${key.prefix}…)`);
      }),
    );

  return program;
}

export function runCli(argv: string[] = process.argv): void {
  buildCli()
    .parseAsync(argv)
    .then(() => process.exit(0))
    .catch((err: Error) => {
      const json = argv.includes('--json');
      process.stderr.write(
        json ? `${JSON.stringify({ error: err.message })}\n` : `leadhub: ${err.message}\n`,
      );
      process.exit(1);
    });
}

if (require.main === module) runCli();
