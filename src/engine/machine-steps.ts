import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { type EventType, isEventType } from '../../flows/events.js';
import type { StepMeta } from '../../flows/types.js';

export interface StepNode {
  meta: StepMeta;
  /** The state path, e.g. `authError.choosingFix`, to build a snapshot at this step. */
  path: string[];
  /** The events the step accepts, in the order the machine lists them (own transitions first). */
  events: EventType[];
  running: boolean;
}

/**
 * Indexes the machine's states by their stable step id, once. The index answers "which events does this
 * step take" without private XState APIs; guards that depend on the session are applied later with `can()`.
 */
export function indexSteps(machine: AnyStateMachine): Map<string, StepNode> {
  const steps = new Map<string, StepNode>();
  for (const node of getStateNodes(machine.root)) {
    const meta = node.meta as StepMeta | undefined;
    if (!meta?.step) continue;
    if (steps.has(meta.step)) throw new Error(`Duplicate step id ${meta.step}`);
    const running = node.tags.includes('running');
    const closed = running || node.tags.includes('end');
    steps.set(meta.step, { meta, path: node.path, events: closed ? [] : eventsOf(node), running });
  }
  return steps;
}

function eventsOf(node: AnyStateNode): EventType[] {
  const types: EventType[] = [];
  for (let n: AnyStateNode | undefined = node; n; n = n.parent) {
    for (const type of Object.keys(n.config.on ?? {}))
      if (isEventType(type) && !types.includes(type)) types.push(type);
  }
  return types;
}

/** The step id of a snapshot: the meta of its one active leaf state. */
export function stepOf(snapshot: { getMeta(): Record<string, unknown> }): StepMeta {
  const metas = Object.values(snapshot.getMeta()) as Array<StepMeta | undefined>;
  const meta = metas.filter((m): m is StepMeta => m?.step !== undefined).at(-1);
  if (!meta) throw new Error('Snapshot has no step');
  return meta;
}
