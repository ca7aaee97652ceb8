import { assign } from 'xstate';
import { flowSetup, step } from './setup.js';

/**
 * FAQ case C2: one parent cannot reach the Espace Parents. The responsable's « Accès à l'Espace Parents »
 * (column « Esp. par. ») is not ticked: « Autres contacts » and the second parent of a « compte par foyer »
 * have none by default.
 */
export const singleParentFlow = flowSetup.createStateConfig({
  initial: 'finding',
  on: { ESCALATE: '.escalate' },
  states: {
    finding: {
      meta: step('single-parent.find', 'question'),
      on: { SEARCH: { target: 'searching', actions: 'setQuery' } },
    },
    searching: {
      meta: step('single-parent.search', 'check'),
      tags: 'running',
      invoke: {
        id: 'findResponsables',
        src: 'findResponsables',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'found' } },
            target: 'selecting',
            actions: assign({ search: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'none' } },
            target: 'notFound',
            actions: assign({ search: ({ event }) => event.output }),
          },
          { target: 'askingAccess', actions: assign({ search: ({ event }) => event.output }) },
        ],
        onError: 'askingAccess',
      },
    },
    notFound: {
      meta: step('single-parent.not-found', 'question'),
      on: { SEARCH: { target: 'searching', actions: 'setQuery' } },
    },
    selecting: {
      meta: step('single-parent.select', 'question', ['accounts']),
      on: {
        SELECT_ACCOUNT: { guard: 'isFoundAccount', target: 'checkingAccess', actions: 'setSelectedAccount' },
        SEARCH: { target: 'searching', actions: 'setQuery' },
      },
    },
    checkingAccess: {
      meta: step('single-parent.check-access', 'check'),
      tags: 'running',
      invoke: {
        id: 'checkParentAccess',
        src: 'checkParentAccess',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'granted' } },
            target: 'accessGranted',
            actions: assign({ access: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'denied' } },
            target: 'offeringGrant',
            actions: assign({ access: ({ event }) => event.output }),
          },
          { target: 'askingAccess', actions: assign({ access: ({ event }) => event.output }) },
        ],
        onError: 'askingAccess',
      },
    },
    askingAccess: {
      meta: step('single-parent.ask-access', 'question'),
      on: { ANSWER_YES: 'accessGranted', ANSWER_NO: 'grantingByHand' },
    },
    grantingByHand: {
      meta: step('single-parent.grant-manual', 'info'),
      on: { DONE: 'confirming' },
    },
    offeringGrant: {
      meta: step('single-parent.offer-grant', 'question', ['access', 'fix']),
      on: { GRANT_ACCESS: 'granting' },
    },
    granting: {
      meta: step('single-parent.grant', 'fix'),
      tags: 'running',
      invoke: {
        id: 'grantParentAccess',
        src: 'grantParentAccess',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'done' } },
            target: 'verifying',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'manual' } },
            target: 'grantingByHand',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          { target: 'offeringGrant', actions: assign({ fix: ({ event }) => event.output }) },
        ],
        onError: 'grantingByHand',
      },
    },
    verifying: {
      meta: step('single-parent.verify', 'check'),
      tags: 'running',
      invoke: {
        id: 'checkParentAccess',
        src: 'checkParentAccess',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'denied' } },
            target: 'offeringGrant',
            actions: assign({ access: ({ event }) => event.output }),
          },
          { target: 'confirming', actions: assign({ access: ({ event }) => event.output }) },
        ],
        onError: 'confirming',
      },
    },
    accessGranted: {
      meta: step('single-parent.access-ok', 'question', ['access']),
      on: {
        CHOOSE_AUTH_ERROR: '#root.authError',
        CHOOSE_PROFILE_WIDE: '#root.profileWide',
        ANSWER_YES: 'resolved',
      },
    },
    confirming: {
      meta: step('single-parent.confirm', 'question', ['access', 'fix']),
      on: { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate' },
    },
    resolved: { meta: step('single-parent.resolved', 'end'), tags: 'end' },
    escalate: { meta: step('single-parent.escalate', 'end'), tags: 'end' },
  },
});
