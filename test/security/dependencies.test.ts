import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { licenceAllowed, licenceProblems, productionDependencies } from '../../src/cli/licence-check.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A project on disk: `packages` maps an install path (`a`, `a/node_modules/b`) to its package.json. */
function project(root: object, packages: Record<string, object>) {
  const dir = mkdtempSync(join(tmpdir(), 'i15-licences-'));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(root));
  for (const [path, manifest] of Object.entries(packages)) {
    const at = join(dir, 'node_modules', ...path.split('/'));
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'package.json'), JSON.stringify(manifest));
  }
  return dir;
}

describe('the dependency licence check', () => {
  it('follows production dependencies down, nested copies included, and names what is refused', () => {
    const dir = project(
      { dependencies: { a: '1', c: '1' }, devDependencies: { dev: '1' } },
      {
        a: { name: 'a', version: '1.0.0', license: 'MIT', dependencies: { b: '2' } },
        'a/node_modules/b': { name: 'b', version: '2.0.0', license: 'GPL-3.0-only' },
        c: { name: 'c', version: '1.2.0', license: '(MIT OR GPL-3.0-only)', dependencies: { d: '1' } },
        d: { name: 'd', version: '0.1.0', licenses: [{ type: 'ISC' }] },
        dev: { name: 'dev', version: '1.0.0', license: 'AGPL-3.0-only' },
      },
    );
    const packages = productionDependencies(dir);
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'a@1.0.0',
      'b@2.0.0',
      'c@1.2.0',
      'd@0.1.0',
    ]);
    expect(licenceProblems(packages).map((p) => p.path)).toEqual([
      join('node_modules', 'a', 'node_modules', 'b'),
    ]);
  });

  it('reads SPDX expressions: OR needs one allowed, AND needs all, nothing is never allowed', () => {
    expect(licenceAllowed('MIT')).toBe(true);
    expect(licenceAllowed('(MIT OR GPL-3.0-only)')).toBe(true);
    expect(licenceAllowed('MIT AND GPL-3.0-only')).toBe(false);
    expect(licenceAllowed('SSPL-1.0')).toBe(false);
    expect(licenceAllowed('')).toBe(false);
  });

  it('passes on the product’s own production tree, which it reads whole', () => {
    const packages = productionDependencies(process.cwd());
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['hono', 'zod', 'pg', 'better-sqlite3']),
    );
    expect(packages.map((p) => p.name)).not.toContain('vitest');
    expect(licenceProblems(packages)).toEqual([]);
  });
});
