import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** Module path (from the repository root, e.g. `src/server/app.tsx`) → the modules of the project it imports. */
export type ImportGraph = Map<string, string[]>;

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(root, path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `./x.js` as written in an import, to the `.ts`/`.tsx` file it names; null for a package. */
function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = normalize(join(dirname(from), specifier)).replace(/\.js$/, '');
  const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(join(root, p)));
  return found ?? null;
}

/** `import … from 'x'`, `import type …`, `export … from 'x'` and `import 'x'`, each starting a line. */
const STATIC = /^(?:(?:import|export)\b[^;'"]*?\bfrom\s*|import\s*)['"]([^'"]+)['"]/gm;
/** `import('x')`, wherever it stands. */
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a module imports, in the order written. */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(STATIC), ...source.matchAll(DYNAMIC)].map((m) => m[1] as string);
}

/**
 * Every import of every module under `dirs`: static, type-only, re-exports and dynamic `import()` alike
 * (a type-only circle is still a circle to a reader).
 */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of dirs.flatMap((d) => sourceFiles(root, d))) {
    const targets = importSpecifiers(readFileSync(join(root, file), 'utf8'))
      .map((specifier) => resolveSpecifier(root, file, specifier))
      .filter((t): t is string => t !== null);
    graph.set(relative('.', file), [...new Set(targets)]);
  }
  return graph;
}

/** The groups of modules that import each other, directly or not (Tarjan's strongly connected components). */
export function importCircles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const circle: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      circle.push(w);
      if (w === v) break;
    }
    if (circle.length > 1 || graph.get(v)?.includes(v)) circles.push(circle.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return circles;
}

/** A layer rule: modules matching `from` may not import modules matching `to`, for the reason given. */
export interface LayerRule {
  from: RegExp;
  to: RegExp;
  why: string;
}

/** Each import that breaks a rule, as `from → to (why)`. */
export function wrongImports(graph: ImportGraph, rules: readonly LayerRule[]): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph)
    for (const to of targets)
      for (const rule of rules)
        if (rule.from.test(from) && rule.to.test(to)) found.push(`${from} → ${to} (${rule.why})`);
  return found;
}
