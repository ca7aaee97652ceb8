import { type Audience, FLOW_IDS, type FlowId } from '../../flows/types.js';
import type { ContentCatalog } from '../engine/content.js';

const CHOICE_OF: Record<
  Exclude<FlowId, 'triage'>,
  'CHOOSE_AUTH_ERROR' | 'CHOOSE_CHANGED_ACCOUNT' | 'CHOOSE_PROFILE_WIDE' | 'CHOOSE_SINGLE_PARENT'
> = {
  'auth-error': 'CHOOSE_AUTH_ERROR',
  'changed-account': 'CHOOSE_CHANGED_ACCOUNT',
  'profile-wide': 'CHOOSE_PROFILE_WIDE',
  'single-parent': 'CHOOSE_SINGLE_PARENT',
};

/** A flow's name is the triage choice that leads to it, so the two can never read differently. */
export function flowTitle(content: ContentCatalog, flow: FlowId, audience: Audience): string {
  if (flow === 'triage') return content.step('triage.start', audience).title;
  const choices = content.step('triage.start', audience).choices;
  return choices[CHOICE_OF[flow]] ?? flow;
}

export function caseFlows(content: ContentCatalog, audience: Audience) {
  return FLOW_IDS.filter((f) => f !== 'triage').map((id) => ({
    id,
    title: flowTitle(content, id, audience),
  }));
}
