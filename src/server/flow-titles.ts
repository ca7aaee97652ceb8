import { FLOW_CHOICES } from '../../flows/root.machine.js';
import { type Audience, FLOW_IDS, type FlowId } from '../../flows/types.js';
import type { ContentCatalog } from '../engine/content.js';

/** A flow's name is the triage choice that leads to it, so the two can never read differently. */
export function flowTitle(content: ContentCatalog, flow: FlowId, audience: Audience): string {
  if (flow === 'triage') return content.step('triage.start', audience).title;
  const choices = content.step('triage.start', audience).choices;
  return choices[FLOW_CHOICES[flow]] ?? flow;
}

export function caseFlows(content: ContentCatalog, audience: Audience) {
  return FLOW_IDS.filter((f) => f !== 'triage').map((id) => ({
    id,
    title: flowTitle(content, id, audience),
  }));
}
