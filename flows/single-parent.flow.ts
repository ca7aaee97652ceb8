import { ask, byHand, caseFlow, check, findPerson, fix, SEARCH_AGAIN } from './setup.js';

/**
 * FAQ case C2: one parent cannot reach the Espace Parents. The responsable's « Accès à l'Espace Parents »
 * (column « Esp. par. ») is not ticked: « Autres contacts » and the second parent of a « compte par foyer »
 * have none by default.
 */
export const singleParentFlow = caseFlow('single-parent', 'finding', {
  ...findPerson('single-parent', 'findResponsables', { found: 'selecting', otherwise: 'askingAccess' }),
  selecting: ask(
    'single-parent.select',
    {
      SELECT_ACCOUNT: { guard: 'isFoundAccount', target: 'checkingAccess', actions: 'setSelectedAccount' },
      SEARCH: SEARCH_AGAIN,
    },
    'accounts',
  ),
  checkingAccess: check('single-parent.check-access', 'checkParentAccess', {
    granted: 'accessGranted',
    denied: 'offeringGrant',
    otherwise: 'askingAccess',
  }),
  askingAccess: ask('single-parent.ask-access', { ANSWER_YES: 'accessGranted', ANSWER_NO: 'grantingByHand' }),
  grantingByHand: byHand('single-parent.grant-manual', 'confirming'),
  offeringGrant: ask('single-parent.offer-grant', { GRANT_ACCESS: 'granting' }, 'access', 'fix'),
  granting: fix('single-parent.grant', 'grantParentAccess', 'grantingByHand', 'offeringGrant'),
  verifying: check('single-parent.verify', 'checkParentAccess', {
    denied: 'offeringGrant',
    otherwise: 'confirming',
  }),
  accessGranted: ask(
    'single-parent.access-ok',
    {
      CHOOSE_AUTH_ERROR: '#root.authError',
      CHOOSE_PROFILE_WIDE: '#root.profileWide',
      ANSWER_YES: 'resolved',
    },
    'access',
  ),
  confirming: ask(
    'single-parent.confirm',
    { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate', RECHECK: 'verifying' },
    'access',
    'fix',
  ),
});
