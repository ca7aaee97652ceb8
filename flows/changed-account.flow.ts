import { ask, byHand, caseFlow, check, findPerson, fix, SEARCH_AGAIN } from './setup.js';

/**
 * FAQ case B: users changed ENT account. PRONOTE keeps the old login in « Identifiant CAS » and keeps
 * refusing the new one until it is cleared (« Supprimer l'identifiant CAS (ENT) »), for one user or a selection.
 */
export const changedAccountFlow = caseFlow('changed-account', 'finding', {
  ...findPerson('changed-account', 'findAccounts', { found: 'selecting', otherwise: 'clearingByHand' }),
  selecting: ask(
    'changed-account.select',
    {
      SELECT_ACCOUNTS: {
        guard: 'areFoundAccounts',
        target: 'confirmingClear',
        actions: 'setSelectedAccounts',
      },
      SEARCH: SEARCH_AGAIN,
    },
    'accounts',
  ),
  confirmingClear: ask(
    'changed-account.confirm-clear',
    { CLEAR_CAS_ID: 'clearing', SEARCH: SEARCH_AGAIN },
    'selection',
    'fix',
  ),
  clearing: fix('changed-account.clear', 'clearCasIds', 'clearingByHand', 'confirmingClear'),
  verifying: check('changed-account.verify', 'findAccounts', { otherwise: 'confirming' }),
  clearingByHand: byHand('changed-account.clear-manual', 'confirming'),
  confirming: ask(
    'changed-account.confirm',
    // RECHECK, after the fix was undone: the same search again, from the copy as it is now.
    {
      ANSWER_YES: 'resolved',
      ANSWER_NO: 'escalate',
      CHOOSE_AUTH_ERROR: '#root.authError',
      RECHECK: 'searching',
    },
    'selection',
    'fix',
  ),
});
