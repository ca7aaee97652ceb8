import { assign } from 'xstate';
import { flowSetup, step } from './setup.js';

/**
 * FAQ case B: users changed ENT account. PRONOTE keeps the old login in « Identifiant CAS » and keeps
 * refusing the new one until it is cleared (« Supprimer l'identifiant CAS (ENT) »), for one user or a selection.
 */
export const changedAccountFlow = flowSetup.createStateConfig({
  initial: 'finding',
  on: { ESCALATE: '.escalate' },
  states: {
    finding: {
      meta: step('changed-account.find', 'question'),
      on: { SEARCH: { target: 'searching', actions: 'setQuery' } },
    },
    searching: {
      meta: step('changed-account.search', 'check'),
      tags: 'running',
      invoke: {
        id: 'findAccounts',
        src: 'findAccounts',
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
          { target: 'clearingByHand', actions: assign({ search: ({ event }) => event.output }) },
        ],
        onError: 'clearingByHand',
      },
    },
    notFound: {
      meta: step('changed-account.not-found', 'question'),
      on: { SEARCH: { target: 'searching', actions: 'setQuery' } },
    },
    selecting: {
      meta: step('changed-account.select', 'question', ['accounts']),
      on: {
        SELECT_ACCOUNTS: {
          guard: 'areFoundAccounts',
          target: 'confirmingClear',
          actions: 'setSelectedAccounts',
        },
        SEARCH: { target: 'searching', actions: 'setQuery' },
      },
    },
    confirmingClear: {
      meta: step('changed-account.confirm-clear', 'question', ['selection', 'fix']),
      on: {
        CLEAR_CAS_ID: 'clearing',
        SEARCH: { target: 'searching', actions: 'setQuery' },
      },
    },
    clearing: {
      meta: step('changed-account.clear', 'fix'),
      tags: 'running',
      invoke: {
        id: 'clearCasIds',
        src: 'clearCasIds',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'done' } },
            target: 'verifying',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'manual' } },
            target: 'clearingByHand',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          { target: 'confirmingClear', actions: assign({ fix: ({ event }) => event.output }) },
        ],
        onError: 'clearingByHand',
      },
    },
    verifying: {
      meta: step('changed-account.verify', 'check'),
      tags: 'running',
      invoke: {
        id: 'findAccounts',
        src: 'findAccounts',
        input: ({ context }) => context,
        onDone: { target: 'confirming', actions: assign({ search: ({ event }) => event.output }) },
        onError: 'confirming',
      },
    },
    clearingByHand: {
      meta: step('changed-account.clear-manual', 'info'),
      on: { DONE: 'confirming' },
    },
    confirming: {
      meta: step('changed-account.confirm', 'question', ['selection', 'fix']),
      on: { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate', CHOOSE_AUTH_ERROR: '#root.authError' },
    },
    resolved: { meta: step('changed-account.resolved', 'end'), tags: 'end' },
    escalate: { meta: step('changed-account.escalate', 'end'), tags: 'end' },
  },
});
