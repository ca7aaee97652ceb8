import { assign } from 'xstate';
import { flowSetup, step } from './setup.js';

/**
 * FAQ case C1: every user of one profile fails. Either the base or that espace is not published in the
 * PRONOTE.net console; publishing means: unpublish the base, publish the espace, publish the base again.
 */
export const profileWideFlow = flowSetup.createStateConfig({
  initial: 'choosingProfile',
  on: { ESCALATE: '.escalate' },
  states: {
    choosingProfile: {
      meta: step('profile-wide.choose-profile', 'question'),
      on: { CHOOSE_PROFILE: { target: 'checking', actions: 'setEspace' } },
    },
    checking: {
      meta: step('profile-wide.check-publication', 'check'),
      tags: 'running',
      invoke: {
        id: 'checkPublication',
        src: 'checkPublication',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'published' } },
            target: 'published',
            actions: assign({ publication: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'unknown' } },
            target: 'askingPublication',
            actions: assign({ publication: ({ event }) => event.output }),
          },
          { target: 'offeringPublish', actions: assign({ publication: ({ event }) => event.output }) },
        ],
        onError: 'askingPublication',
      },
    },
    askingPublication: {
      meta: step('profile-wide.ask-publication', 'question'),
      on: { ANSWER_YES: 'published', ANSWER_NO: 'publishingByHand' },
    },
    publishingByHand: {
      meta: step('profile-wide.publish-manual', 'info'),
      on: { DONE: 'confirming' },
    },
    offeringPublish: {
      meta: step('profile-wide.offer-publish', 'question', ['publication', 'fix']),
      on: { PUBLISH_ESPACE: 'publishing' },
    },
    publishing: {
      meta: step('profile-wide.publish', 'fix'),
      tags: 'running',
      invoke: {
        id: 'publishEspace',
        src: 'publishEspace',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: 'done' } },
            target: 'verifying',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          {
            guard: { type: 'hasOutcome', params: { outcome: 'manual' } },
            target: 'publishingByHand',
            actions: assign({ fix: ({ event }) => event.output }),
          },
          { target: 'offeringPublish', actions: assign({ fix: ({ event }) => event.output }) },
        ],
        onError: 'publishingByHand',
      },
    },
    verifying: {
      meta: step('profile-wide.verify', 'check'),
      tags: 'running',
      invoke: {
        id: 'checkPublication',
        src: 'checkPublication',
        input: ({ context }) => context,
        onDone: [
          {
            guard: { type: 'hasOutcome', params: { outcome: ['espace-unpublished', 'base-unpublished'] } },
            target: 'offeringPublish',
            actions: assign({ publication: ({ event }) => event.output }),
          },
          { target: 'confirming', actions: assign({ publication: ({ event }) => event.output }) },
        ],
        onError: 'confirming',
      },
    },
    published: {
      meta: step('profile-wide.published', 'question', ['publication']),
      on: { CHOOSE_AUTH_ERROR: '#root.authError', ANSWER_YES: 'resolved' },
    },
    confirming: {
      meta: step('profile-wide.confirm', 'question', ['publication', 'fix']),
      on: { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate' },
    },
    resolved: { meta: step('profile-wide.resolved', 'end'), tags: 'end' },
    escalate: { meta: step('profile-wide.escalate', 'end'), tags: 'end' },
  },
});
