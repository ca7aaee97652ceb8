import type { Agent } from '../store/agent-port.js';
import type { HelpRequest } from '../store/help-requests.js';

/**
 * What the agents' own pages show of the stores' records: the views take these, so they never import the
 * store, and a field added to a record reaches a page only when it is named here.
 */
export type AgentView = Pick<Agent, 'name' | 'admin' | 'schools' | 'hasPassword' | 'cas' | 'disabled'>;

/** An end user's request as the school's agents see it in `/demandes` and its follow-up page. */
export type HelpRequestView = HelpRequest;
