import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** A throwaway project with the real build script and a fake `nest build` that counts its runs. */
function fakeProject(): { dir: string; build: () => string; builds: () => number } {
  const dir = join(tmpdir(), `leadhub-build-${process.pid}-${Date.now()}`);
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'node_modules', '@nestjs', 'cli', 'bin'), { recursive: true });
  copyFileSync(join(root, 'scripts', 'build-if-changed.mjs'), join(dir, 'scripts', 'build-if-changed.mjs'));
  writeFileSync(join(dir, 'package.json'), '{}');
  writeFileSync(join(dir, 'src', 'main.ts'), 'export {};\n');
  writeFileSync(
    join(dir, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'),
    `const fs = require('fs');
     fs.mkdirSync('dist/src', { recursive: true });
     fs.writeFileSync('dist/src/main.js', '');
     fs.appendFileSync('builds', 'x');`,
  );
  return {
    dir,
    build: () =>
      spawnSync(process.execPath, ['scripts/build-if-changed.mjs'], { cwd: dir, encoding: 'utf8' }).stderr,
    builds: () => (existsSync(join(dir, 'builds')) ? readFileSync(join(dir, 'builds'), 'utf8').length : 0),
  };
}

describe('npm start / npm ci / start:dev scripts', () => {
  it('npm start and npm ci build through the script that skips an unchanged tree; start:dev watches', () => {
    expect(pkg.scripts.prestart).toBe('node scripts/build-if-changed.mjs');
    expect(pkg.scripts.prepare).toMatch(/^node scripts\/build-if-changed\.mjs/);
    // The old-generation cap bounds how far V8 lets garbage pile up between full collections (README "Memory").
    expect(pkg.scripts.start).toBe('node --max-old-space-size=1024 dist/src/main.js');
    expect(pkg.scripts['start:prod']).toBe(pkg.scripts.start);
    expect(pkg.scripts['start:dev']).toBe('nest start --watch');
    const nest = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8'));
    expect(existsSync(join(root, 'dist', `${nest.entryFile}.js`))).toBe(true); // what `nest start` runs
  });

  it('builds when a source changed, and only then', () => {
    const p = fakeProject();
    try {
      expect(p.build()).toContain('Building');
      expect(p.builds()).toBe(1);
      expect(p.build()).toBe('');
      expect(p.builds()).toBe(1);
      writeFileSync(join(p.dir, 'src', 'main.ts'), 'export const changed = 1;\n');
      p.build();
      expect(p.builds()).toBe(2);
      rmSync(join(p.dir, 'dist', 'src', 'main.js'));
      p.build();
      expect(p.builds()).toBe(3); // a missing build is rebuilt even with a matching hash
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });

  it('the `prepare` run of `npm ci` before the sources exist (Docker layer) does nothing', () => {
    const p = fakeProject();
    try {
      rmSync(join(p.dir, 'src'), { recursive: true });
      const run = spawnSync(process.execPath, ['scripts/build-if-changed.mjs', '--soft'], { cwd: p.dir });
      expect(run.status).toBe(0);
      expect(p.builds()).toBe(0);
    } finally {
      rmSync(p.dir, { recursive: true, force: true });
    }
  });
});
