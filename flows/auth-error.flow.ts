import { assign } from 'xstate';
import { flowSetup, step } from './setup.js';

/**
 * FAQ case A, « Identification impossible »: the ENT identity and the PRONOTE one differ. Fix 1 aligns the
 * PRONOTE identity with the ENT; fix 2 writes the ENT login into « Identifiant CAS », refused when another
 * account already holds it.
 */
export const authErrorFlow = flowSetup.createStateConfig({
  initial: 'identifying',
  on: { ESCALATE: '.escalate' },
  states: {
    identifying: {
      meta: step('auth-error.identify', 'question'),
      on: { SUBMIT_IDENTITY: { target: 'comparing', actions: 'setIdentity' } },
    },
    comparing: {
      meta: step('auth-error.compare', 'check'),
      tags: 'running',
      invoke: {
        id: 'compareIdentity',
        src: 'compareIdentity',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'unknown' } },
            target: 'askingComparison',
            actions: assign({ comparison: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'ambiguous' } },
            target: 'choosingAccount',
            actions: assign({ comparison: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'none' } },
            target: 'notFound',
            actions: assign({ comparison: ({ event }) => event.output }),
          },
          { target: 'choosingFix', actions: assign({ comparison: ({ event }) => event.output }) },
        ],
        onError: 'askingComparison',
      },
    },
    askingComparison: {
      meta: step('auth-error.ask-compare', 'question'),
      on: {
        ANSWER_YES: 'fixingCasIdByHand',
        ANSWER_NO: 'choosingManualFix',
        ANSWER_NOT_FOUND: 'escalate',
      },
    },
    choosingManualFix: {
      meta: step('auth-error.choose-manual-fix', 'question'),
      on: { FIX_IDENTITY: 'fixingIdentityByHand', FIX_CAS_ID: 'fixingCasIdByHand' },
    },
    fixingIdentityByHand: {
      meta: step('auth-error.fix-identity-manual', 'info'),
      on: { DONE: 'confirming' },
    },
    fixingCasIdByHand: {
      meta: step('auth-error.fix-cas-id-manual', 'info'),
      on: { DONE: 'confirming' },
    },
    choosingAccount: {
      meta: step('auth-error.choose-account', 'question', ['candidates', 'accounts']),
      on: {
        SELECT_ACCOUNT: { guard: 'isCandidate', target: 'comparing', actions: 'setSelectedAccount' },
      },
    },
    notFound: {
      meta: step('auth-error.not-found', 'question', ['comparison']),
      on: {
        SUBMIT_IDENTITY: { target: 'comparing', actions: 'setIdentity' },
        SEARCH: { target: 'searchingAccount', actions: 'setQuery' },
      },
    },
    // No account resembles the ENT identity (a usage name that has nothing in common with the birth
    // name, say): the agent looks the person up by hand and compares with the account they pick.
    searchingAccount: {
      meta: step('auth-error.search-account', 'check'),
      tags: 'running',
      invoke: {
        id: 'findAccounts',
        src: 'findAccounts',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'found' } },
            target: 'choosingAccount',
            actions: assign({ search: ({ event }) => event.output }),
          },
          { target: 'notFound', actions: assign({ search: ({ event }) => event.output }) },
        ],
        onError: 'notFound',
      },
    },
    choosingFix: {
      meta: step('auth-error.choose-fix', 'question', ['comparison', 'fix']),
      on: {
        FIX_IDENTITY: { guard: 'canFixIdentity', target: 'fixingIdentity' },
        FIX_CAS_ID: { guard: 'isCasIdFree', target: 'linkingCasId' },
        CHOOSE_CHANGED_ACCOUNT: '#root.changedAccount',
        DONE: 'confirming',
      },
    },
    fixingIdentity: {
      meta: step('auth-error.fix-identity', 'fix'),
      tags: 'running',
      invoke: {
        id: 'fixIdentity',
        src: 'fixIdentity',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'done' } },
            target: 'verifying',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'manual' } },
            target: 'fixingIdentityByHand',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          { target: 'choosingFix', actions: assign({ fix: ({ event }) => event.output }) },
        ],
        onError: 'fixingIdentityByHand',
      },
    },
    linkingCasId: {
      meta: step('auth-error.fix-cas-id', 'fix'),
      tags: 'running',
      invoke: {
        id: 'linkCasId',
        src: 'linkCasId',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'done' } },
            target: 'verifying',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'manual' } },
            target: 'fixingCasIdByHand',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          { target: 'choosingFix', actions: assign({ fix: ({ event }) => event.output }) },
        ],
        onError: 'fixingCasIdByHand',
      },
    },
    verifying: {
      meta: step('auth-error.verify', 'check'),
      tags: 'running',
      invoke: {
        id: 'compareIdentity',
        src: 'compareIdentity',
        input: ({ context }) => context,
        onDone: [
          {
            guard: 'isIdentityResolved',
            target: 'confirming',
            actions: assign({ comparison: ({ event }) => event.output }),
          },
          { target: 'choosingFix', actions: assign({ comparison: ({ event }) => event.output }) },
        ],
        onError: 'confirming',
      },
    },
    confirming: {
      meta: step('auth-error.confirm', 'question', ['comparison', 'fix']),
      on: { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate' },
    },
    resolved: { meta: step('auth-error.resolved', 'end'), tags: 'end' },
    escalate: { meta: step('auth-error.escalate', 'end'), tags: 'end' },
  },
});
