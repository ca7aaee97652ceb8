import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { type EventType, isEventType } from '../../flows/events.js';
import type { TriageRoute } from '../../flows/triage-rules.js';
import { FLOW_IDS, type FlowId, type StepKind, type StepMeta } from '../../flows/types.js';

/** What makes the machine leave a step: a person's answer, or what a running check or fix gave. */
export type EdgeTrigger =
  | { kind: 'event'; event: EventType; route?: TriageRoute }
  | { kind: 'outcome'; outcomes: string[] }
  /** A named guard on the result, e.g. `isIdentityResolved`. */
  | { kind: 'condition'; guard: string }
  /** The result matched none of the guarded transitions before it. */
  | { kind: 'otherwise' }
  | { kind: 'error' };

export interface FlowEdge {
  /** The step left; null for a transition of the flow itself, taken from any of its steps (e.g. ESCALATE). */
  from: string | null;
  to: string;
  /** The target leaves this flow (triage choosing a case, a case sending on to another). */
  crossFlow: boolean;
  trigger: EdgeTrigger;
}

export interface FlowNode {
  step: string;
  kind: StepKind;
  running: boolean;
  /** Shortest number of transitions from the flow's first step; steps reached only from "any step" come last. */
  depth: number;
}

export interface FlowGraph {
  flow: FlowId;
  initial: string;
  /** In the machine's document order. */
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const DONE = 'xstate.done.actor.';
const ERROR = 'xstate.error.actor.';

const metaOf = (node: AnyStateNode) => node.meta as StepMeta | undefined;
const flowOf = (step: string) => step.slice(0, step.indexOf('.')) as FlowId;

/** The step a target lands on: the node's own step, or the first step of the flow or group it opens. */
function stepIn(node: AnyStateNode): string {
  for (let n: AnyStateNode | undefined = node; n; n = n.initial?.target[0]) {
    const step = metaOf(n)?.step;
    if (step) return step;
  }
  throw new Error(`State ${node.id} leads to no step`);
}

function guardOf(guard: unknown): { type: string; params?: Record<string, unknown> } | undefined {
  if (typeof guard === 'string') return { type: guard };
  if (guard && typeof guard === 'object' && 'type' in guard)
    return guard as { type: string; params?: Record<string, unknown> };
  return undefined;
}

function triggerOf(eventType: string, rawGuard: unknown): EdgeTrigger | null {
  const guard = guardOf(rawGuard);
  if (eventType === '') return guard ? { kind: 'condition', guard: guard.type } : { kind: 'otherwise' };
  if (eventType.startsWith(ERROR)) return { kind: 'error' };
  if (eventType.startsWith(DONE)) {
    if (!guard) return { kind: 'otherwise' };
    if (guard.type !== 'hasOutcome') return { kind: 'condition', guard: guard.type };
    return { kind: 'outcome', outcomes: [guard.params?.outcome as string | string[]].flat() };
  }
  if (!isEventType(eventType)) return null;
  const route = guard?.type === 'isRoute' ? (guard.params?.route as TriageRoute) : undefined;
  return { kind: 'event', event: eventType, ...(route ? { route } : {}) };
}

function edgesOf(node: AnyStateNode, from: string | null, flow: FlowId): FlowEdge[] {
  const edges: FlowEdge[] = [];
  // Eventless transitions (an end user skipping a search, say) are conditions on the context.
  const always = (node.always ?? []).map((t) => ['', [t]] as const);
  for (const [eventType, transitions] of [...node.transitions, ...always]) {
    for (const t of transitions) {
      const trigger = triggerOf(eventType, t.guard);
      for (const target of t.target ?? []) {
        if (!trigger) continue;
        const to = stepIn(target);
        edges.push({ from, to, crossFlow: flowOf(to) !== flow, trigger });
      }
    }
  }
  return edges;
}

function depths(initial: string, steps: string[], edges: FlowEdge[]): Map<string, number> {
  const depth = new Map([[initial, 0]]);
  const queue = [initial];
  for (let step = queue.shift(); step !== undefined; step = queue.shift()) {
    for (const e of edges) {
      if (e.from !== step || e.crossFlow || depth.has(e.to)) continue;
      depth.set(e.to, (depth.get(step) ?? 0) + 1);
      queue.push(e.to);
    }
  }
  const last = Math.max(...depth.values()) + 1;
  for (const s of steps) if (!depth.has(s)) depth.set(s, last);
  return depth;
}

/**
 * The flows as graphs, read from the machine itself (state nodes, their `on` transitions and the
 * `onDone`/`onError` of what they invoke), so the map can never drift from what sessions actually do.
 */
export function flowGraphs(machine: AnyStateMachine): FlowGraph[] {
  const nodes = getStateNodes(machine.root);
  return FLOW_IDS.map((flow) => {
    const own = nodes.filter((n) => metaOf(n)?.step.startsWith(`${flow}.`));
    const root = nodes.find((n) => n.parent === machine.root && own.some((o) => o.path[0] === n.key));
    if (!root) throw new Error(`Flow ${flow} has no state`);
    const initial = stepIn(root);
    const edges = [
      ...own.flatMap((n) => edgesOf(n, metaOf(n)?.step ?? null, flow)),
      // Transitions declared on the flow or a group inside it apply to every step below.
      ...nodes.filter((n) => !metaOf(n) && n.path[0] === root.key).flatMap((n) => edgesOf(n, null, flow)),
    ];
    const steps = own.map((n) => metaOf(n)?.step ?? '');
    const depth = depths(initial, steps, edges);
    return {
      flow,
      initial,
      nodes: own.map((n) => {
        const meta = metaOf(n) as StepMeta;
        return {
          step: meta.step,
          kind: meta.kind,
          running: n.tags.includes('running'),
          depth: depth.get(meta.step) ?? 0,
        };
      }),
      edges,
    };
  });
}

/**
 * The answers (`step event`) that may lead, through the checks they start, to a fix: a fix writes, so it
 * never runs from a state kept in memory, only from one just read from the store.
 */
export function answersThatMayFix(graphs: FlowGraph[]): Set<string> {
  const nodes = new Map(graphs.flatMap((g) => g.nodes.map((n) => [n.step, n] as const)));
  const flowOfStep = (step: string) => graphs.find((g) => g.nodes.some((n) => n.step === step));
  const leaving = (step: string) =>
    (flowOfStep(step)?.edges ?? []).filter((e) => e.from === step || e.from === null);
  const reachesFix = (start: string) => {
    const seen = new Set<string>();
    for (const queue = [start]; queue.length > 0; ) {
      const step = queue.pop() as string;
      if (seen.has(step)) continue;
      seen.add(step);
      const node = nodes.get(step);
      if (node?.kind === 'fix') return true;
      // What a check gives moves on by itself; a question waits for the next answer.
      if (node?.running) for (const e of leaving(step)) if (e.trigger.kind !== 'event') queue.push(e.to);
    }
    return false;
  };
  const answers = new Set<string>();
  for (const step of nodes.keys()) {
    for (const e of leaving(step)) {
      if (e.trigger.kind === 'event' && reachesFix(e.to)) answers.add(`${step} ${e.trigger.event}`);
    }
  }
  return answers;
}
