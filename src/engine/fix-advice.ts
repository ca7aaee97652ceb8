import type { ComparisonResult } from '../../flows/types.js';
import { type DifferenceKind, identityDifferences, isSpellingOnly } from '../pronote/field-difference.js';

/**
 * Which correction the comparison step recommends, read from what differs between the ENT and PRONOTE,
 * and why, in words an agent can repeat to the school.
 */

export type AdvisedFix = 'identity' | 'cas-id' | 'clear-cas-id' | 'none';

export interface FixAdvice {
  fix: AdvisedFix;
  /** One or two sentences: what the comparison found and why this fix follows. */
  why: string;
  /** Each differing field with its difference in words: « Nom : une lettre de différence ». */
  differences: string[];
}

const FIELD_NAMES = { nom: 'Nom', prenom: 'Prénom', dateNaissance: 'Date de naissance' } as const;

// Both spellings are the person's own (a usage name, a compound name shortened): erasing one is wrong.
const BOTH_RIGHT: ReadonlySet<DifferenceKind> = new Set([
  'usage-name',
  'part',
  'glued',
  'swapped-names',
  'different',
]);

/** A fix PRONOTE refuses or that changes nothing is never recommended; `null` without an account to compare. */
export function adviseFix(c: ComparisonResult | undefined): FixAdvice | null {
  if (!c?.account || !c.ent) return null;
  const found = identityDifferences(c.ent, c.account);
  const differing = (Object.keys(found) as Array<keyof typeof found>).filter(
    // A birth date missing on one side is usual (responsables) and no fix writes one: not a difference here.
    (field) => !isSpellingOnly(found[field].kind) && !found[field].kind.startsWith('missing'),
  );
  const differences = differing.map((field) => `${FIELD_NAMES[field]} : ${found[field].label}`);
  const login = c.ent.login;
  const oldId = c.account.casId && c.account.casId !== login ? c.account.casId : undefined;
  // Fix 2 needs the ENT login, and PRONOTE refuses a login another account holds.
  const canLink = login !== '' && !c.casHolder;

  if (c.linked)
    return {
      fix: 'none',
      differences,
      why: 'La fiche porte déjà cet identifiant ENT dans « Identifiant CAS » : PRONOTE reconnaît l’utilisateur par ce lien, quelle que soit l’identité. Faites-le réessayer depuis l’ENT.',
    };
  if (oldId)
    return {
      fix: 'clear-cas-id',
      differences,
      why: `La fiche garde dans « Identifiant CAS » un autre identifiant ENT (« ${oldId} ») : PRONOTE attend celui-là et refuse le nouveau. Supprimez-le d’abord ; la connexion suivante enregistrera le bon.`,
    };
  if (differing.length === 0) {
    if (c.casHolder)
      return {
        fix: 'clear-cas-id',
        differences,
        why: 'L’identité concorde, mais cet identifiant ENT est enregistré sur une autre fiche : PRONOTE y envoie l’utilisateur. Retirez-le de cette autre fiche.',
      };
    return canLink
      ? {
          fix: 'cas-id',
          differences,
          why: 'Nom, prénom et date de naissance concordent : l’identité n’est pas en cause. Écrire l’identifiant ENT dans « Identifiant CAS » fait le lien sans attendre.',
        }
      : {
          fix: 'none',
          differences,
          why: 'L’identité concorde : PRONOTE reconnaîtra l’utilisateur à sa prochaine connexion depuis l’ENT. Faites-le réessayer.',
        };
  }
  const bothRight = differing.some((field) => BOTH_RIGHT.has(found[field].kind));
  if (bothRight && canLink)
    return {
      fix: 'cas-id',
      differences,
      why: 'Les deux versions peuvent être justes (nom d’usage d’un côté, nom de naissance de l’autre, ou nom composé abrégé) : plutôt que d’effacer l’une, liez la fiche par son « Identifiant CAS ».',
    };
  return {
    fix: 'identity',
    differences,
    why: !canLink
      ? 'Le lien par « Identifiant CAS » n’est pas possible ici (identifiant ENT inconnu ou déjà pris par une autre fiche) : seule la correction de l’identité reste.'
      : 'Une erreur de saisie sépare les deux fiches : corrigez la fiche PRONOTE. Si c’est l’ENT qui se trompe, faites plutôt corriger l’ENT.',
  };
}
