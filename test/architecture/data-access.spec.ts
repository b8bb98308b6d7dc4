import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * House rule (docs/architecture.md): SQL and TypeORM's data-access API live in repositories
 * (`*.repository.ts`, one per domain) and in src/database (connection, transactions, migrations). Services
 * hold rules and call repositories; transactions are ambient (`@Transactional()`), never passed around.
 */
const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

/** Data access outside a repository: raw SQL, TypeORM's managers, repositories and data source. */
const FORBIDDEN: [string, RegExp][] = [
  ['.query(', /\.query\s*\(/],
  ['createQueryBuilder', /\bcreateQueryBuilder\b/],
  ['getRepository', /\bgetRepository\b/],
  ['InjectRepository', /\bInjectRepository\b/],
  ['InjectDataSource', /\bInjectDataSource\b/],
  ['EntityManager', /\bEntityManager\b/],
  ['DataSource', /\bDataSource\b/],
  ['.transaction(', /\.transaction\s*\(/],
  ['.manager', /\.manager\b/],
  ['Repository<T>', /\bRepository</],
];

/** Files allowed to, and why. Keep it short: a new entry needs a reason a reviewer accepts. */
const ALLOWED: Record<string, string> = {
  'src/cli/context.ts': 'opens the CLI’s own connection (the lean path without a Nest application)',
  'src/cli/data-commands.ts': 'export/import/reset copy whole tables over a pg client, by design',
};

function isAllowed(file: string): boolean {
  return file.endsWith('.repository.ts') || file.startsWith('src/database/') || file in ALLOWED;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The code without its comments (a comment may name what it does not use). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

export function violations(file: string, text: string): string[] {
  const body = code(text);
  return FORBIDDEN.filter(([, re]) => re.test(body)).map(([name]) => `${file}: ${name}`);
}

describe('data access', () => {
  it('happens only in repositories and src/database', () => {
    const found = tsFiles(SRC)
      .map((f) => relative(ROOT, f).split('\\').join('/'))
      .filter((f) => !isAllowed(f))
      .flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('the check finds what it looks for (so it can fail)', () => {
    expect(violations('x.service.ts', "await this.db.query('SELECT 1')")).toEqual(['x.service.ts: .query(']);
    expect(violations('x.service.ts', 'constructor(private readonly m: EntityManager) {}')).toEqual([
      'x.service.ts: EntityManager',
    ]);
    expect(violations('x.service.ts', '/** keyed by its EntityManager */ const a = 1;')).toEqual([]);
  });

  it('the allow-list names files that exist and still need it', () => {
    for (const file of Object.keys(ALLOWED))
      expect(violations(file, readFileSync(join(ROOT, file), 'utf8')).length).toBeGreaterThan(0);
  });
});
