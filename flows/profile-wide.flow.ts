import { ask, byHand, caseFlow, check, fix } from './setup.js';

/**
 * FAQ case C1: every user of one profile fails. Either the base or that espace is not published in the
 * PRONOTE.net console; publishing means: unpublish the base, publish the espace, publish the base again.
 */
export const profileWideFlow = caseFlow('profile-wide', 'choosingProfile', {
  choosingProfile: ask('profile-wide.choose-profile', {
    CHOOSE_PROFILE: { target: 'checking', actions: 'setEspace' },
  }),
  checking: check('profile-wide.check-publication', 'checkPublication', {
    published: 'published',
    unknown: 'askingPublication',
    otherwise: 'offeringPublish',
    onError: 'askingPublication',
  }),
  // An end user answers whether others of their profile get in: if they do, the cause is their own account.
  askingPublication: ask('profile-wide.ask-publication', {
    ANSWER_YES: [
      { guard: 'isPublicParent', target: '#root.singleParent' },
      { guard: 'isPublic', target: '#root.authError' },
      { target: 'published' },
    ],
    ANSWER_NO: 'publishingByHand',
  }),
  publishingByHand: byHand('profile-wide.publish-manual', 'confirming'),
  offeringPublish: ask('profile-wide.offer-publish', { PUBLISH_ESPACE: 'publishing' }, 'publication', 'fix'),
  publishing: fix('profile-wide.publish', 'publishEspace', 'publishingByHand', 'offeringPublish'),
  verifying: check('profile-wide.verify', 'checkPublication', {
    'espace-unpublished': 'offeringPublish',
    'base-unpublished': 'offeringPublish',
    otherwise: 'confirming',
  }),
  published: ask(
    'profile-wide.published',
    {
      CHOOSE_AUTH_ERROR: '#root.authError',
      CHOOSE_SINGLE_PARENT: { guard: 'isParentsEspace', target: '#root.singleParent' },
      ANSWER_YES: 'resolved',
    },
    'publication',
  ),
  confirming: ask(
    'profile-wide.confirm',
    { ANSWER_YES: 'resolved', ANSWER_NO: 'escalate', RECHECK: 'verifying' },
    'publication',
    'fix',
  ),
});
