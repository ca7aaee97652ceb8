import { describe, expect, it } from 'vitest';
import {
  type ImportGraph,
  importCircles,
  importGraph,
  type LayerRule,
  wrongImports,
} from './import-graph.js';

/**
 * The layers of DESIGN.md (« Imports run one way »), read from the import specifiers of every module under
 * flows/, views/ and src/. docs/ARCHITECTURE.md lists the same rules.
 */
const RULES: LayerRule[] = [
  {
    from: /^flows\//,
    to: /^(src|views|content)\//,
    why: 'flows are pure: no I/O, no French, nothing of src',
  },
  {
    from: /^views\//,
    to: /^src\/(server|store|cli)\//,
    why: 'views import nothing of the server or the store',
  },
  { from: /^src\/engine\//, to: /^(src\/(server|cli)|views)\//, why: 'the engine does not know the server' },
  {
    from: /^src\/(pronote|ent|store|formats)\//,
    to: /^(src\/(engine|server|cli)|views)\//,
    why: 'data and formats sit below the engine and the server',
  },
  {
    from: /^src\/(pronote|ent)\/[^/]+$/,
    to: /^src\/[^/]+\/(sqlite|pg)\//,
    why: 'a domain module or a port never imports an adapter; only start-up (src/server, src/cli) picks one',
  },
  {
    from: /^src\/engine\//,
    to: /^src\/[^/]+\/(sqlite|pg)\//,
    why: 'the engine works on ports, never on an adapter',
  },
];

describe('the layers of the code', () => {
  const graph = importGraph('.', ['flows', 'views', 'src']);

  it('reads the imports of every module', () => {
    expect(graph.get('src/server/app.tsx')).toContain('src/server/app-types.ts');
    expect(graph.get('flows/root.machine.ts')).toContain('flows/setup.ts');
  });

  it('has no import circle: each module can be read after the ones it imports', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('imports only in the directions DESIGN.md allows', () => {
    expect(wrongImports(graph, RULES)).toEqual([]);
  });
});

describe('the checker itself', () => {
  const tree: ImportGraph = new Map([
    ['src/server/app.tsx', ['src/server/routes.tsx']],
    ['src/server/routes.tsx', ['src/server/app.tsx']],
    ['views/page.tsx', ['src/store/agents.ts']],
    ['src/store/agents.ts', []],
  ]);

  it('finds two modules that import each other', () => {
    expect(importCircles(tree)).toEqual([['src/server/app.tsx', 'src/server/routes.tsx']]);
  });

  it('names an import that crosses a layer the wrong way', () => {
    expect(wrongImports(tree, RULES)).toEqual([
      'views/page.tsx → src/store/agents.ts (views import nothing of the server or the store)',
    ]);
  });
});
