import { authErrorFlow } from './auth-error.flow.js';
import { changedAccountFlow } from './changed-account.flow.js';
import type { EventType } from './events.js';
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

/**
 * The triage's choice that opens each case: a session started straight in a case enters it the way the
 * triage does, so that what the case does on entry (an end user skipping a search) happens too.
 */
export const FLOW_CHOICES: Record<
  Exclude<FlowId, 'triage'>,
  Extract<
    EventType,
    'CHOOSE_AUTH_ERROR' | 'CHOOSE_CHANGED_ACCOUNT' | 'CHOOSE_PROFILE_WIDE' | 'CHOOSE_SINGLE_PARENT'
  >
> = {
  'auth-error': 'CHOOSE_AUTH_ERROR',
  'changed-account': 'CHOOSE_CHANGED_ACCOUNT',
  'profile-wide': 'CHOOSE_PROFILE_WIDE',
  'single-parent': 'CHOOSE_SINGLE_PARENT',
};

/**
 * Bumped whenever a change makes older snapshots unreadable (a state renamed or removed, a context field
 * changed); the engine then migrates them or tells the person clearly.
 */
export const MACHINE_VERSION = 1;
