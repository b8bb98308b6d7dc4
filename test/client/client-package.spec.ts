import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

const PACKAGE = join(__dirname, '..', '..', 'clients', 'typescript');
const SRC = join(PACKAGE, 'src');

/** The ```ts blocks of a markdown file. */
function tsBlocks(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * The package compiled as `npm run build` compiles it (its own tsconfig), in memory, together with the READMEs'
 * examples as if they were a user's files importing '@leadhub/client'.
 */
function compile() {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PACKAGE, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const examples = new Map<string, string>();
  const readmes = [join(PACKAGE, 'README.md'), join(PACKAGE, '..', '..', 'README.md')];
  readmes.forEach((readme, i) =>
    tsBlocks(readme).forEach((code, j) => {
      // Each example is its own module; `process` is the one Node global the examples use.
      const source = `declare const process: { env: Record<string, string | undefined> };\n${code}\nexport {};\n`;
      examples.set(
        join(SRC, `readme-example-${i}-${j}.ts`),
        source.replaceAll("'@leadhub/client'", "'./index.js'"),
      );
    }),
  );
  const host = ts.createCompilerHost(config.options);
  const emitted = new Map<string, string>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) =>
    examples.has(file)
      ? ts.createSourceFile(file, examples.get(file)!, lang)
      : getSourceFile(file, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => examples.has(file) || fileExists(file);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => examples.get(file) ?? readFile(file);
  host.writeFile = (file, text) => emitted.set(relative(PACKAGE, file), text);
  const program = ts.createProgram([...config.fileNames, ...examples.keys()], config.options, host);
  const result = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].map((d) =>
    d.file
      ? `${relative(PACKAGE, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start!).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
      : ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  return { diagnostics, emitted, examples: examples.size };
}

describe('TypeScript client package: builds, exports what it declares, READMEs compile', () => {
  let built: ReturnType<typeof compile>;
  const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
  beforeAll(() => {
    built = compile();
  });

  it('compiles with its own tsconfig (no Node types), README examples included, without an error', () => {
    expect(built.examples).toBeGreaterThanOrEqual(2);
    expect(built.diagnostics).toEqual([]);
  });

  it('package.json points at files the build writes', () => {
    expect(pkg).toMatchObject({
      name: '@leadhub/client',
      type: 'module',
      scripts: { build: 'tsc -p tsconfig.json' },
    });
    const entry = pkg.exports['.'];
    for (const file of [entry.types, entry.default, pkg.main, pkg.types])
      expect(built.emitted.has(join(file))).toBe(true);
    expect(pkg.files).toEqual(['dist', 'README.md']);
    expect(Object.keys(pkg.dependencies)).toEqual(['openapi-fetch']);
    // The tests run against the root's copy: the published range must be the one tested.
    const root = JSON.parse(readFileSync(join(PACKAGE, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.dependencies['openapi-fetch']).toBe(root.devDependencies['openapi-fetch']);
  });

  it('the published JavaScript is ES modules with explicit extensions, and imports only openapi-fetch', () => {
    const imports = new Set<string>();
    for (const [file, text] of built.emitted)
      if (file.endsWith('.js') && !file.includes('readme-example'))
        for (const m of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm))
          imports.add(m[1]);
    expect([...imports].filter((s) => !s.startsWith('.'))).toEqual(['openapi-fetch']);
    expect([...imports].filter((s) => s.startsWith('.') && !s.endsWith('.js'))).toEqual([]);
    expect(dirname(pkg.exports['.'].default)).toBe('./dist');
  });
});
