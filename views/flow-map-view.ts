/** The flow map's view model: what the diagram and the list under it draw, and what the layout places. */
import type { FlowId, StepKind } from '../flows/types.js';

/** One step on the map, already worded for the viewer. */
export interface MapStep {
  step: string;
  kind: StepKind;
  depth: number;
  title: string;
  html: string;
  /** The session's entry at this step (`/s/<id>/<seq>`), or the step's place in the list under the diagram. */
  href: string;
  visit?: 'current' | 'visited';
}

export interface MapEdge {
  /** null: from any step of the flow. */
  from: string | null;
  to: string;
  /** Set when the transition leaves for another flow. */
  toFlow?: FlowId;
  /** Short, for the arrow. */
  label: string;
  /** The full wording, for the list. */
  detail: string;
  /** The session went this way. */
  taken: boolean;
}

export interface FlowMapView {
  flow: FlowId;
  title: string;
  steps: MapStep[];
  edges: MapEdge[];
  /** Where a cross-flow arrow leads: that flow's title and map. */
  exits: Partial<Record<FlowId, { title: string; href: string }>>;
}
