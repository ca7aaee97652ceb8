/**
 * Places the message a person pastes ("Identification impossible", « HTTP Error 503 »…) on a route of
 * the triage. Patterns are matched on folded text (no case, no accents, one kind of apostrophe) because
 * messages arrive retyped, translated by a phone's keyboard or copied from a screenshot.
 */

export type TriageRoute =
  | 'auth-error'
  | 'changed-account'
  | 'profile-wide'
  | 'single-parent'
  | 'no-access'
  | 'site-unavailable'
  | 'wrong-credentials'
  | 'session-expired';

const RULES: ReadonlyArray<readonly [TriageRoute, RegExp]> = [
  [
    'auth-error',
    /identification impossible|pas reussi a vous identifier|donnees connues|corrections eventuelles/,
  ],
  ['no-access', /(n'avez|n'ai|n'a) pas acces a l'espace|pas acces a (l'espace|mon espace)/],
  [
    'site-unavailable',
    /\b503\b|service unavailable|site (n'est pas|est in)disponible|site n'est plus disponible/,
  ],
  [
    'wrong-credentials',
    /(identifiant|login) ou (votre |le )?mot de passe (est )?incorrect|mot de passe (est )?incorrect/,
  ],
  ['session-expired', /(page|session) a expire|expiree?\b/],
  [
    'changed-account',
    /change(ment)? de (compte|login|identifiant)|nouvel? (identifiant|login|compte) (ent|de l'ent)/,
  ],
  [
    'profile-wide',
    /\b(tous|toutes|aucun|aucune) (les )?(eleves|parents|professeurs|enseignants|personnels)\b/,
  ],
  ['single-parent', /esp\.? par\.?|espace parents?/],
];

export function foldMessage(message: string): string {
  return message
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// The machine asks once per guarded transition of a message (and again to check the answer is
// possible): the last message's route is kept.
let last: { message: string; route: TriageRoute | null } | undefined;

/** The route for a pasted message, or null when it cannot be placed. */
export function classifyMessage(message: string): TriageRoute | null {
  if (last?.message === message) return last.route;
  const folded = foldMessage(message);
  const route = RULES.find(([, pattern]) => pattern.test(folded))?.[0] ?? null;
  last = { message, route };
  return route;
}
