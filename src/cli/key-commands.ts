import { Command } from 'commander';
import type { ApiKey } from '../api-keys/api-key.entity';
import type { ApiKeysService } from '../api-keys/api-keys.service';
import { isoTimestamp } from '../common/time';
import type { Workspace } from '../workspaces/workspace.entity';
import type { WorkspacesService } from '../workspaces/workspaces.service';
import { CliContext, cliRepository, isoDate, positiveInt, print, withDatabase } from './context';

interface Services {
  workspaces: WorkspacesService;
  keys: ApiKeysService;
}

// Loaded when a command runs, not when the CLI starts: each command pays only for what it uses.
function services(c: CliContext): Services {
  const { ApiKeysRepository } =
    require('../api-keys/api-keys.repository') as typeof import('../api-keys/api-keys.repository');
  const { ApiKeysService } =
    require('../api-keys/api-keys.service') as typeof import('../api-keys/api-keys.service');
  return {
    workspaces: cliWorkspaces(c.db),
    keys: new ApiKeysService(cliRepository(c.db, ApiKeysRepository), c.config),
  };
}

/** The workspaces service over the CLI's own connection (no Nest application). */
export function cliWorkspaces(db: CliContext['db']): WorkspacesService {
  const { WorkspacesRepository } =
    require('../workspaces/workspaces.repository') as typeof import('../workspaces/workspaces.repository');
  const { WorkspacesService } =
    require('../workspaces/workspaces.service') as typeof import('../workspaces/workspaces.service');
  return new WorkspacesService(cliRepository(db, WorkspacesRepository));
}

export async function requireWorkspace(workspaces: WorkspacesService, slug: string): Promise<Workspace> {
  const ws = await workspaces.findBySlug(slug);
  if (!ws) throw new Error(`No workspace with slug "${slug}"`);
  return ws;
}

function keyStatus(k: ApiKey): 'active' | 'revoked' | 'expired' {
  if (k.revokedAt) return 'revoked';
  return k.expiresAt && k.expiresAt.getTime() <= Date.now() ? 'expired' : 'active';
}

function keyJson(k: ApiKey) {
  return {
    id: k.id,
    workspace_id: k.workspaceId,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    rate_limit: k.rateLimit,
    status: keyStatus(k),
    expires_at: isoTimestamp(k.expiresAt),
    revoked_at: isoTimestamp(k.revokedAt),
    last_used_at: isoTimestamp(k.lastUsedAt),
    created_at: isoTimestamp(k.createdAt),
  };
}

function workspaceJson(w: Workspace) {
  return { id: w.id, slug: w.slug, name: w.name, created_at: isoTimestamp(w.createdAt) };
}

const scopeList = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** `never` clears an expiry (key:update). */
const expiryOrNever = (v: string): Date | null => (v === 'never' ? null : isoDate(v));

const run = <T>(work: (s: Services) => Promise<T>) => withDatabase((c) => work(services(c)));

export function registerKeyCommands(program: Command): void {
  program
    .command('workspace:create')
    .description('Create a workspace (tenant)')
    .requiredOption('--slug <slug>', 'unique slug: lowercase letters, digits, dashes')
    .requiredOption('--name <name>', 'display name')
    .option('--json', 'print JSON')
    .action((o: { slug: string; name: string; json?: boolean }) =>
      run(async (s) => {
        const ws = await s.workspaces.create(o.slug, o.name);
        print(!!o.json, workspaceJson(ws), () => `Created workspace ${ws.slug} (id ${ws.id})`);
      }),
    );

  program
    .command('workspace:list')
    .description('List workspaces')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      run(async (s) => {
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
    .requiredOption('--scopes <scopes>', 'comma-separated scopes (read:leads,write:leads,…) or *', scopeList)
    .option('--rate-limit <n>', 'requests per hour (default 1000)', positiveInt)
    .option('--expires-at <iso>', 'expiry (ISO 8601, in the future)', isoDate)
    .option('--json', 'print JSON')
    .action(
      (o: {
        workspace: string;
        name: string;
        scopes: string[];
        rateLimit?: number;
        expiresAt?: Date;
        json?: boolean;
      }) =>
        run(async (s) => {
          const workspace = await requireWorkspace(s.workspaces, o.workspace);
          const { key, plaintext } = await s.keys.create({
            workspace,
            name: o.name,
            scopes: o.scopes,
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
      run(async (s) => {
        const workspace = await requireWorkspace(s.workspaces, o.workspace);
        const keys = await s.keys.listForWorkspace(workspace.id);
        print(
          !!o.json,
          keys.map(keyJson),
          () =>
            keys
              .map(
                (k) =>
                  `${k.id}\t${k.prefix}…\t${k.name}\t${k.scopes.join(',')}\t${k.rateLimit}/h\t${keyStatus(k)}` +
                  (k.expiresAt ? `\texpires ${isoTimestamp(k.expiresAt)}` : ''),
              )
              .join('\n') || '(none)',
        );
      }),
    );

  program
    .command('key:update')
    .description("Change a key's name, scopes, rate limit or expiry (running servers follow within seconds)")
    .requiredOption('--id <id>', 'key id', positiveInt)
    .option('--name <name>', 'new name')
    .option('--scopes <scopes>', 'new comma-separated scopes (replace the old ones)', scopeList)
    .option('--rate-limit <n>', 'requests per hour', positiveInt)
    .option('--expires-at <iso>', 'new expiry (ISO 8601, in the future), or "never"')
    .option('--json', 'print JSON')
    .action(
      (o: {
        id: number;
        name?: string;
        scopes?: string[];
        rateLimit?: number;
        expiresAt?: string;
        json?: boolean;
      }) =>
        run(async (s) => {
          const { id, json, expiresAt, ...rest } = o;
          const change = { ...rest, ...(expiresAt !== undefined && { expiresAt: expiryOrNever(expiresAt) }) };
          if (!Object.keys(change).length)
            throw new Error('nothing to change: give --name, --scopes, --rate-limit or --expires-at');
          const key = await s.keys.update(id, change);
          if (!key) throw new Error(`No API key with id ${id}`);
          print(!!json, keyJson(key), () => `Updated key ${key.id} (${key.prefix}…)`);
        }),
    );

  program
    .command('key:revoke')
    .description('Revoke an API key (takes effect within seconds on running servers)')
    .requiredOption('--id <id>', 'key id', positiveInt)
    .option('--json', 'print JSON')
    .action((o: { id: number; json?: boolean }) =>
      run(async (s) => {
        const key = await s.keys.revoke(o.id);
        if (!key) throw new Error(`No API key with id ${o.id}`);
        print(!!o.json, keyJson(key), () => `Revoked key ${key.id} (${key.prefix}…)`);
      }),
    );
}
