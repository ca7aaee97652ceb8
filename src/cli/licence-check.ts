import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The production dependencies as installed (node_modules/…/package.json), with their versions and
 * licences; any licence outside the allow-list fails. Reads the disk only, so it works without a network,
 * in CI as on an isolated machine: `npm run licences`.
 */

/** Licences that let the product be run and handed over as it is, without other obligations. */
export const ALLOWED_LICENCES = new Set([
  'MIT',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BSD-0-Clause',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Python-2.0',
]);

export interface InstalledPackage {
  name: string;
  version: string;
  /** The SPDX expression of its package.json (`license`, or the old `licenses` list); '' when none. */
  licence: string;
  /** Where it is installed, relative to the project. */
  path: string;
}

interface Manifest {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: Array<{ type?: string }>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

const licenceOf = (m: Manifest): string => {
  if (typeof m.license === 'string') return m.license;
  if (m.license?.type) return m.license.type;
  return (m.licenses ?? [])
    .map((l) => l.type ?? '')
    .filter(Boolean)
    .join(' OR ');
};

/** Where Node would find `name` from a package installed at `from` (its own node_modules, then upwards). */
function resolve(root: string, from: string, name: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return null;
  }
}

/** Every package the production dependencies of `root` bring in, each installed copy once, by name. */
export function productionDependencies(root: string): InstalledPackage[] {
  const seen = new Map<string, InstalledPackage>();
  const visit = (from: string, deps: Record<string, string>, optional: Set<string>) => {
    for (const name of Object.keys(deps)) {
      const dir = resolve(root, from, name);
      if (!dir) {
        if (optional.has(name)) continue;
        throw new Error(`${name}, required by ${from}, is not installed: run npm ci first.`);
      }
      const path = dir.slice(root.length + 1);
      if (seen.has(path)) continue;
      const m = readManifest(dir);
      seen.set(path, { name: m.name ?? name, version: m.version ?? '?', licence: licenceOf(m), path });
      const opt = m.optionalDependencies ?? {};
      visit(dir, { ...(m.dependencies ?? {}), ...opt }, new Set(Object.keys(opt)));
    }
  };
  visit(root, readManifest(root).dependencies ?? {}, new Set());
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}

/**
 * Whether an SPDX expression is allowed: `A OR B` when either is, `A AND B` when both are; a missing
 * licence never is.
 */
export function licenceAllowed(expression: string, allowed: ReadonlySet<string> = ALLOWED_LICENCES): boolean {
  const spdx = expression.replace(/[()]/g, ' ').trim();
  if (spdx === '') return false;
  return spdx
    .split(/\s+OR\s+/i)
    .some((alternative) => alternative.split(/\s+AND\s+/i).every((id) => allowed.has(id.trim())));
}

/** The packages whose licence is outside the allow-list. */
export const licenceProblems = (packages: readonly InstalledPackage[]): InstalledPackage[] =>
  packages.filter((p) => !licenceAllowed(p.licence));

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = productionDependencies(process.cwd());
  for (const p of packages) console.log(`${p.name}\t${p.version}\t${p.licence || '(aucune)'}`);
  const problems = licenceProblems(packages);
  console.log(`${packages.length} paquets de production, ${problems.length} hors de la liste autorisée.`);
  for (const p of problems)
    console.error(`Licence refusée : ${p.name} ${p.version} (${p.licence || 'aucune'}) dans ${p.path}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
