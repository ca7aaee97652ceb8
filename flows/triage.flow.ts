import { flowSetup, step } from './setup.js';

const CHOICES = {
  CHOOSE_AUTH_ERROR: '#root.authError',
  CHOOSE_CHANGED_ACCOUNT: '#root.changedAccount',
  CHOOSE_PROFILE_WIDE: '#root.profileWide',
  CHOOSE_SINGLE_PARENT: '#root.singleParent',
} as const;

/** Routes a pasted message; what cannot be placed goes back to the choices with a word of explanation. */
const DESCRIBE = [
  {
    guard: { type: 'isRoute', params: { route: 'auth-error' } },
    target: '#root.authError',
    actions: 'setMessage',
  },
  { guard: { type: 'isRoute', params: { route: 'no-access' } }, target: 'noAccess', actions: 'setMessage' },
  {
    guard: { type: 'isRoute', params: { route: 'site-unavailable' } },
    target: 'siteUnavailable',
    actions: 'setMessage',
  },
  {
    guard: { type: 'isRoute', params: { route: 'wrong-credentials' } },
    target: 'wrongCredentials',
    actions: 'setMessage',
  },
  {
    guard: { type: 'isRoute', params: { route: 'session-expired' } },
    target: 'sessionExpired',
    actions: 'setMessage',
  },
  {
    guard: { type: 'isRoute', params: { route: 'changed-account' } },
    target: '#root.changedAccount',
    actions: 'setMessage',
  },
  {
    guard: { type: 'isRoute', params: { route: 'profile-wide' } },
    target: '#root.profileWide',
    actions: 'setMessage',
  },
  {
    guard: { type: 'isRoute', params: { route: 'single-parent' } },
    target: '#root.singleParent',
    actions: 'setMessage',
  },
  { target: 'notUnderstood', actions: 'setMessage' },
] as const;

/** The start: the four FAQ cases as choices, or the message the user sees, pasted. */
export const triageFlow = flowSetup.createStateConfig({
  initial: 'start',
  states: {
    start: {
      meta: step('triage.start', 'question'),
      on: { ...CHOICES, DESCRIBE_MESSAGE: [...DESCRIBE] },
    },
    notUnderstood: {
      meta: step('triage.not-understood', 'question'),
      on: { ...CHOICES, DESCRIBE_MESSAGE: [...DESCRIBE] },
    },
    noAccess: {
      meta: step('triage.no-access', 'question'),
      on: {
        CHOOSE_PROFILE_WIDE: CHOICES.CHOOSE_PROFILE_WIDE,
        CHOOSE_SINGLE_PARENT: CHOICES.CHOOSE_SINGLE_PARENT,
        ESCALATE: 'escalate',
      },
    },
    siteUnavailable: {
      meta: step('triage.site-unavailable', 'question'),
      on: { CHOOSE_PROFILE_WIDE: CHOICES.CHOOSE_PROFILE_WIDE, ANSWER_YES: 'resolved', ESCALATE: 'escalate' },
    },
    wrongCredentials: {
      meta: step('triage.wrong-credentials', 'question'),
      on: { CHOOSE_AUTH_ERROR: CHOICES.CHOOSE_AUTH_ERROR, ANSWER_YES: 'resolved', ESCALATE: 'escalate' },
    },
    sessionExpired: {
      meta: step('triage.session-expired', 'question'),
      on: { ANSWER_YES: 'resolved', ESCALATE: 'escalate' },
    },
    resolved: { meta: step('triage.resolved', 'end'), tags: 'end' },
    escalate: { meta: step('triage.escalate', 'end'), tags: 'end' },
  },
});
