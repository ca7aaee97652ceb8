import { ask, byHand, caseFlow, check, fix } from './setup.js';

/**
 * FAQ case A, « Identification impossible »: the ENT identity and the PRONOTE one differ. Fix 1 aligns the
 * PRONOTE identity with the ENT; fix 2 writes the ENT login into « Identifiant CAS », refused when another
 * account already holds it.
 */
/** An identity typed (again): compare it with PRONOTE's accounts. */
const COMPARE = { target: 'comparing', actions: 'setIdentity' } as const;

export const authErrorFlow = caseFlow('auth-error', 'identifying', {
  identifying: ask('auth-error.identify', { SUBMIT_IDENTITY: COMPARE }),
  comparing: check('auth-error.compare', 'compareIdentity', {
    // The school's mode, when its data says it, decides which comparison counts.
    when: [
      { guard: 'isDoubleAuthMode', target: 'doubleAuth' },
      { guard: 'isPronoteEntIdMode', target: 'checkingCode' },
    ],
    unknown: 'askingComparison',
    ambiguous: 'choosingAccount',
    none: 'notFound',
    otherwise: 'choosingFix',
    onError: 'askingComparison',
  }),
  askingComparison: ask('auth-error.ask-compare', {
    ANSWER_YES: 'fixingCasIdByHand',
    ANSWER_NO: 'choosingManualFix',
    ANSWER_NOT_FOUND: 'escalate',
  }),
  choosingManualFix: ask('auth-error.choose-manual-fix', {
    FIX_IDENTITY: 'fixingIdentityByHand',
    FIX_CAS_ID: 'fixingCasIdByHand',
  }),
  fixingIdentityByHand: byHand('auth-error.fix-identity-manual', 'confirming'),
  fixingCasIdByHand: byHand('auth-error.fix-cas-id-manual', 'confirmingLink'),
  choosingAccount: ask(
    'auth-error.choose-account',
    { SELECT_ACCOUNT: { guard: 'isCandidate', target: 'comparing', actions: 'setSelectedAccount' } },
    'candidates',
    'accounts',
  ),
  notFound: ask(
    'auth-error.not-found',
    {
      SUBMIT_IDENTITY: COMPARE,
      SEARCH: { target: 'searchingAccount', actions: 'setQuery' },
    },
    'comparison',
  ),
  // No account resembles the ENT identity (a usage name that has nothing in common with the birth
  // name, say): the agent looks the person up by hand and compares with the account they pick.
  searchingAccount: check('auth-error.search-account', 'findAccounts', {
    found: 'choosingAccount',
    otherwise: 'notFound',
  }),
  choosingFix: ask(
    'auth-error.choose-fix',
    {
      FIX_IDENTITY: { guard: 'canFixIdentity', target: 'fixingIdentity' },
      FIX_CAS_ID: { guard: 'isCasIdFree', target: 'linkingCasId' },
      CHOOSE_CHANGED_ACCOUNT: { guard: 'hasCasIdToClear', target: '#root.changedAccount' },
      DONE: { guard: 'isNothingToFix', target: 'confirming' },
    },
    'comparison',
    'fix',
  ),
  // Double authentication: the first connection asks the PRONOTE login once, so a different identity does
  // not block; what can still stop the person is an « Identifiant CAS » in the way (login held, old login).
  doubleAuth: ask(
    'auth-error.double-auth',
    {
      FIX_CAS_ID: { guard: 'isCasIdFree', target: 'linkingCasId' },
      CHOOSE_CHANGED_ACCOUNT: { guard: 'hasCasIdToClear', target: '#root.changedAccount' },
      DONE: 'confirming',
    },
    'comparison',
    'fix',
  ),
  // « Identifiant PRONOTE-ENT »: the code the ENT sends decides, not nom nor date; it is corrected in the
  // ENT or by exporting the codes from PRONOTE again.
  checkingCode: ask(
    'auth-error.check-code',
    {
      CHOOSE_CHANGED_ACCOUNT: { guard: 'hasCasIdToClear', target: '#root.changedAccount' },
      DONE: 'confirming',
    },
    'comparison',
  ),
  fixingIdentity: fix('auth-error.fix-identity', 'fixIdentity', 'fixingIdentityByHand', 'choosingFix'),
  linkingCasId: fix('auth-error.fix-cas-id', 'linkCasId', 'fixingCasIdByHand', 'choosingFix'),
  verifying: check('auth-error.verify', 'compareIdentity', {
    when: [
      { guard: 'isLinkResolved', target: 'confirmingLink' },
      { guard: 'isIdentityResolved', target: 'confirming' },
    ],
    otherwise: 'choosingFix',
    onError: 'confirming',
  }),
  confirming: ask(
    'auth-error.confirm',
    { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate' },
    'comparison',
    'fix',
  ),
  // After fix 2 the login is written: the next connection goes through « Identifiant CAS ».
  confirmingLink: ask(
    'auth-error.confirm-link',
    { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate' },
    'comparison',
    'fix',
  ),
});
