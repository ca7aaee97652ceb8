import { describe, expect, it } from 'vitest';
import { rootMachine } from '../../flows/root.machine.js';
import { FLOW_IDS, type FlowId } from '../../flows/types.js';
import { loadContent } from '../../src/engine/content.js';
import { type FlowGraph, flowGraphs } from '../../src/engine/flow-graph.js';
import { indexSteps } from '../../src/engine/machine-steps.js';
import { FlowDiagram, type FlowMapView } from '../../views/flow-map.js';

const graphs = flowGraphs(rootMachine);
const steps = indexSteps(rootMachine);
const content = loadContent();
const flowOf = (step: string) => step.split('.')[0] as FlowId;

function viewOf(graph: FlowGraph): FlowMapView {
  return {
    flow: graph.flow,
    title: graph.flow,
    steps: graph.nodes.map((n) => ({
      ...n,
      title: content.step(n.step, 'agent').title,
      html: '',
      href: '#',
    })),
    edges: graph.edges.map((e) => ({
      from: e.from,
      to: e.to,
      ...(e.crossFlow ? { toFlow: flowOf(e.to) } : {}),
      label: e.trigger.kind,
      detail: e.trigger.kind,
      taken: false,
    })),
    exits: Object.fromEntries(
      graph.edges.filter((e) => e.crossFlow).map((e) => [flowOf(e.to), { title: 'x', href: '#' }]),
    ),
  };
}

const decodeEntities = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Tags open and close in order, attributes are quoted, and text holds no raw `<` or stray `&`. */
function assertWellFormed(svg: string) {
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
  let last = 0;
  for (const m of svg.matchAll(tag)) {
    const text = svg.slice(last, m.index);
    expect(text, `text before <${m[2]}>`).not.toMatch(/<|&(?!(?:#\d+|amp|lt|gt|quot);)/);
    last = (m.index ?? 0) + m[0].length;
    const [, closing, name = '', , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(svg.slice(last)).toBe('');
  expect(stack).toEqual([]);
}

describe('flow graphs read from the machine', () => {
  it('has one graph per flow, starting at the flow’s first step', () => {
    expect(graphs.map((g) => g.flow)).toEqual([...FLOW_IDS]);
    for (const g of graphs) {
      expect(flowOf(g.initial)).toBe(g.flow);
      expect(g.nodes.find((n) => n.step === g.initial)?.depth).toBe(0);
    }
  });

  it('puts every step of the machine in its own flow’s graph, once', () => {
    const placed = graphs.flatMap((g) => g.nodes.map((n) => `${g.flow}:${n.step}`));
    expect(placed.sort()).toEqual([...steps.keys()].map((s) => `${flowOf(s)}:${s}`).sort());
    for (const g of graphs) for (const n of g.nodes) expect(n.kind).toBe(steps.get(n.step)?.meta.kind);
  });

  it('points every edge at a step of the same flow, or marks it as leaving for another flow', () => {
    for (const g of graphs) {
      const own = new Set(g.nodes.map((n) => n.step));
      for (const e of g.edges) {
        if (e.from !== null) expect(own.has(e.from), `${e.from} in ${g.flow}`).toBe(true);
        expect(steps.has(e.to), `${e.to} is a step`).toBe(true);
        expect(e.crossFlow).toBe(!own.has(e.to));
        expect(e.crossFlow).toBe(flowOf(e.to) !== g.flow);
      }
    }
  });

  it('gives every running check or fix an arrow per outcome, a fallback and an error arrow', () => {
    for (const g of graphs) {
      for (const n of g.nodes.filter((x) => x.running)) {
        const kinds = g.edges.filter((e) => e.from === n.step).map((e) => e.trigger.kind);
        expect(kinds, n.step).toContain('error');
        expect(kinds, n.step).toContain('otherwise');
        expect(
          kinds.every((k) => k !== 'event'),
          n.step,
        ).toBe(true);
      }
    }
  });

  it('reads the check outcomes and the triage routes from the guards', () => {
    const sp = graphs.find((g) => g.flow === 'single-parent');
    const fromSearch = sp?.edges.filter((e) => e.from === 'single-parent.search');
    expect(fromSearch?.find((e) => e.to === 'single-parent.select')?.trigger).toEqual({
      kind: 'outcome',
      outcomes: ['found'],
    });
    const triage = graphs.find((g) => g.flow === 'triage');
    const routed = triage?.edges.find((e) => e.from === 'triage.start' && e.to === 'triage.site-unavailable');
    expect(routed?.trigger).toEqual({ kind: 'event', event: 'DESCRIBE_MESSAGE', route: 'site-unavailable' });
    expect(sp?.edges.filter((e) => e.from === null)).toEqual([
      {
        from: null,
        to: 'single-parent.escalate',
        crossFlow: false,
        trigger: { kind: 'event', event: 'ESCALATE' },
      },
    ]);
  });

  it('places every step reachable from the first one at its shortest distance', () => {
    const sp = graphs.find((g) => g.flow === 'single-parent');
    const depth = (step: string) => sp?.nodes.find((n) => n.step === step)?.depth;
    expect(depth('single-parent.find')).toBe(0);
    expect(depth('single-parent.search')).toBe(1);
    expect(depth('single-parent.select')).toBe(2);
    expect(depth('single-parent.check-access')).toBe(3);
  });
});

describe('the diagram of each flow', () => {
  for (const graph of graphs) {
    it(`draws « ${graph.flow} » as well-formed SVG naming every step`, () => {
      const svg = String(FlowDiagram({ view: viewOf(graph) }));
      assertWellFormed(svg);
      expect(svg).toMatch(/^<svg [^>]*role="group"[^>]*viewBox="0 0 \d+ \d+" width="\d+" height="\d+"/);
      const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => decodeEntities(m[1] ?? ''));
      for (const n of graph.nodes) {
        const title = content.step(n.step, 'agent').title;
        expect(
          titles.some((t) => t.endsWith(`: ${title}`)),
          `${n.step} « ${title} »`,
        ).toBe(true);
      }
      expect(svg.match(/<path class="edge/g)?.length).toBeGreaterThan(0);
      expect(svg).not.toContain('style=');
    });
  }
});
