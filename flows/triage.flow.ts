import { ask, end, flowSetup } from './setup.js';
import type { TriageRoute } from './triage-rules.js';

const CHOICES = {
  CHOOSE_AUTH_ERROR: '#root.authError',
  CHOOSE_CHANGED_ACCOUNT: '#root.changedAccount',
  CHOOSE_PROFILE_WIDE: '#root.profileWide',
  CHOOSE_SINGLE_PARENT: '#root.singleParent',
} as const;

/** Where each kind of pasted message leads, in the order the rules are tried. */
const ROUTES: [TriageRoute, string][] = [
  ['auth-error', '#root.authError'],
  ['no-access', 'noAccess'],
  ['site-unavailable', 'siteUnavailable'],
  ['wrong-credentials', 'wrongCredentials'],
  ['session-expired', 'sessionExpired'],
  ['changed-account', '#root.changedAccount'],
  ['profile-wide', '#root.profileWide'],
  ['single-parent', '#root.singleParent'],
];

/** Routes a pasted message; what cannot be placed goes back to the choices with a word of explanation. */
const DESCRIBE = [
  ...ROUTES.map(([route, target]) => ({
    guard: { type: 'isRoute', params: { route } } as const,
    target,
    actions: 'setMessage' as const,
  })),
  { target: 'notUnderstood', actions: 'setMessage' as const },
];

/** The start: the four FAQ cases as choices, or the message the user sees, pasted. */
export const triageFlow = flowSetup.createStateConfig({
  initial: 'start',
  states: {
    start: ask('triage.start', { ...CHOICES, DESCRIBE_MESSAGE: DESCRIBE }),
    notUnderstood: ask('triage.not-understood', {
      ...CHOICES,
      DESCRIBE_MESSAGE: DESCRIBE,
      ESCALATE: 'escalate',
    }),
    noAccess: ask('triage.no-access', {
      CHOOSE_PROFILE_WIDE: CHOICES.CHOOSE_PROFILE_WIDE,
      CHOOSE_SINGLE_PARENT: CHOICES.CHOOSE_SINGLE_PARENT,
      ANSWER_NO: 'onePerson',
      ESCALATE: 'escalate',
    }),
    // One pupil (or one teacher) refused an espace others of their profile open.
    onePerson: ask('triage.one-person', {
      ANSWER_YES: 'resolved',
      CHOOSE_AUTH_ERROR: CHOICES.CHOOSE_AUTH_ERROR,
      ESCALATE: 'escalate',
    }),
    siteUnavailable: ask('triage.site-unavailable', {
      CHOOSE_PROFILE_WIDE: CHOICES.CHOOSE_PROFILE_WIDE,
      ANSWER_YES: 'resolved',
      ESCALATE: 'escalate',
    }),
    wrongCredentials: ask('triage.wrong-credentials', {
      CHOOSE_AUTH_ERROR: CHOICES.CHOOSE_AUTH_ERROR,
      ANSWER_YES: 'resolved',
      ESCALATE: 'escalate',
    }),
    sessionExpired: ask('triage.session-expired', { ANSWER_YES: 'resolved', ESCALATE: 'escalate' }),
    resolved: end('triage.resolved'),
    escalate: end('triage.escalate'),
  },
});
