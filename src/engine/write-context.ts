import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting and in which session, for the audit of the fixes an event sets off. */
export interface ActingContext {
  actor: string;
  sessionId: string;
}

/**
 * Carried through the async work of one event so that fixes can audit who made them without putting
 * that in the machine's context (which is stored with the session and survives the agent).
 */
export const acting = new AsyncLocalStorage<ActingContext>();
