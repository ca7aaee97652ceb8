import { authErrorFlow } from './auth-error.flow.js';
import { changedAccountFlow } from './changed-account.flow.js';
import { profileWideFlow } from './profile-wide.flow.js';
import { flowSetup } from './setup.js';
import { singleParentFlow } from './single-parent.flow.js';
import { triageFlow } from './triage.flow.js';
import type { FlowId } from './types.js';

/**
 * The whole assistant as one machine: triage, then one state per FAQ case. Each flow lives in its own
 * file as a state config built on the shared setup, so guards, actions and actors are named once.
 */
export const rootMachine = flowSetup.createMachine({
  id: 'root',
  initial: 'triage',
  context: ({ input }) => ({ audience: input.audience, uai: input.uai ?? null }),
  states: {
    triage: triageFlow,
    authError: authErrorFlow,
    changedAccount: changedAccountFlow,
    profileWide: profileWideFlow,
    singleParent: singleParentFlow,
  },
});

export type RootMachine = typeof rootMachine;

/** The root state that holds each flow, to start a session directly in one. */
export const FLOW_STATES: Record<FlowId, string> = {
  triage: 'triage',
  'auth-error': 'authError',
  'changed-account': 'changedAccount',
  'profile-wide': 'profileWide',
  'single-parent': 'singleParent',
};

/**
 * Bumped whenever a change makes older snapshots unreadable (a state renamed or removed, a context field
 * changed); the engine then migrates them or tells the person clearly.
 */
export const MACHINE_VERSION = 1;
