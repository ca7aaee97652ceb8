import { ESPACES, type FlowId } from '../../flows/types.js';
import type { HelpRequestData } from '../store/help-requests.js';
import { EventRejected } from './errors.js';
import type { Engine } from './session-engine.js';

/**
 * Opening an end user's request as an agent session: in the flow the request came from, with what the
 * person typed sent as that flow's first answers, so the agent starts at the check rather than at a blank
 * question.
 */

type Event = { type: string; [field: string]: unknown };

export function requestPlan(data: HelpRequestData): { flow: FlowId; events: Event[] } {
  const details = data.details ?? {};
  switch (data.flow) {
    case 'single-parent':
      return {
        flow: 'single-parent',
        events: details.eleve ? [{ type: 'SEARCH', query: details.eleve.slice(0, 100) }] : [],
      };
    case 'profile-wide':
      return {
        flow: 'profile-wide',
        events: ESPACES.some((e) => e === details.espace)
          ? [{ type: 'CHOOSE_PROFILE', profile: details.espace }]
          : [],
      };
    case 'changed-account': {
      const query = details.ancien || details.nouveau;
      return { flow: 'changed-account', events: query ? [{ type: 'SEARCH', query }] : [] };
    }
    case 'triage':
      return {
        flow: 'triage',
        events: data.message ? [{ type: 'DESCRIBE_MESSAGE', message: data.message }] : [],
      };
    default: {
      const identity = data.identity;
      const usable = identity && (identity.login || (identity.nom && identity.prenom));
      return { flow: 'auth-error', events: usable ? [{ type: 'SUBMIT_IDENTITY', ...identity }] : [] };
    }
  }
}

/** Starts the agent session and sends the plan's events; an event the data no longer allows stops there. */
export async function openRequest(engine: Engine, uai: string, data: HelpRequestData, agent: string) {
  const plan = requestPlan(data);
  const { id } = await engine.start({ audience: 'agent', uai, flow: plan.flow, owner: agent });
  for (const event of plan.events) {
    try {
      await engine.send(id, event, { actor: agent });
    } catch (err) {
      if (err instanceof EventRejected) break;
      throw err;
    }
  }
  return id;
}
