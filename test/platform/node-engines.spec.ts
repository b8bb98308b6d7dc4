import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));

/** The oldest release of each supported line (README: Node 22 LTS and 24). */
const SUPPORTED = ['22.22.3', '24.15.0'];

describe('supported Node versions', () => {
  it('engines names Node 22 and 24 and no end-of-life line', () => {
    for (const v of SUPPORTED) expect(semver.satisfies(v, pkg.engines.node)).toBe(true);
    expect(semver.satisfies('20.20.0', pkg.engines.node)).toBe(false);
    expect(semver.satisfies('23.11.0', pkg.engines.node)).toBe(false);
  });

  it.each(SUPPORTED)('npm ci on Node %s prints no engine warning (every locked package accepts it)', (v) => {
    const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: string } }>)
      .filter(([path, p]) => path && p.engines?.node && !semver.satisfies(v, p.engines.node))
      .map(([path, p]) => `${path} wants ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it('the Docker image runs Node 22', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const images = [...dockerfile.matchAll(/^FROM node:(\S+)/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(/^22(\.|-)/);
  });
});
