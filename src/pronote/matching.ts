import { compareFields, type FieldMatch, type Fields, isSure } from './field-compare.js';

export { dateKey } from './normalise.js';

/**
 * Identity matching: grades, field by field, how an ENT identity compares with PRONOTE accounts the
 * way people actually differ (case, accents, compound names, usage names, typos, swaps), and says
 * whether one account is that person.
 */

export type { FieldMatch } from './field-compare.js';

export interface Identity {
  nom: string;
  prenom: string;
  /** JJ/MM/AAAA or AAAA-MM-JJ. */
  dateNaissance?: string;
  /** The other nom (birth or usage), when known. */
  nomNaissance?: string | null;
  /** A responsable's postcode (CAS `codePostal`, SIECLE address), when known. */
  codePostal?: string | null;
}

/** Both sides' postcodes compared, or undefined when one side has none. */
export type PostcodeMatch = 'exact' | 'different' | undefined;

export interface IdentityMatch {
  verdict: 'match' | 'mismatch' | 'ambiguous' | 'none';
  /** Plausible accounts only, best first. */
  candidates: Array<{ id: string; fields: Fields; codePostal?: PostcodeMatch }>;
}

const postcodeMatch = (a: Identity, b: Identity): PostcodeMatch => {
  const [x, y] = [a.codePostal?.replace(/\s/g, ''), b.codePostal?.replace(/\s/g, '')];
  if (!x || !y) return undefined;
  return x === y ? 'exact' : 'different';
};

// A postcode agreeing adds what a birth date would; one differing takes it away (a parent who moved stays plausible).
const POSTCODE_WEIGHT = { exact: 2, different: -2 } as const;

/** Every field agrees once folded (a missing date is no objection), and both names are there. */
const isMatch = (f: Fields) =>
  isSure(f.nom) && isSure(f.prenom) && (f.dateNaissance === 'exact' || f.dateNaissance === 'missing');

/**
 * Worth showing as « this may be the person »: no name differs and at least one name is there, and
 * the date differs only when both names agree once folded. A wrong birth date under the right names
 * is exactly what stops a CAS connection by identity (FAQ case A); a wrong date with a merely close
 * name is too weak to propose. A nom that differs entirely under the same prénom and birth date is a
 * married name on one side only (the ENT carries one nom, PRONOTE the other): a mismatch on nom to
 * show, never a match.
 */
function isPlausible(f: Fields): boolean {
  if (f.nom === 'different' && isSure(f.prenom) && f.dateNaissance === 'exact') return true;
  if (f.nom === 'different' || f.prenom === 'different') return false;
  if (f.nom === 'missing' && f.prenom === 'missing') return false;
  return f.dateNaissance !== 'different' || (isSure(f.nom) && isSure(f.prenom));
}

const WEIGHT: Record<FieldMatch, number> = { exact: 4, normalised: 3, missing: 2, close: 1, different: 0 };
const score = (f: Fields) => WEIGHT[f.nom] + WEIGHT[f.prenom] + WEIGHT[f.dateNaissance];

/**
 * Grades each account against the ENT identity. `match` only when exactly one account agrees on every
 * field, `ambiguous` when two qualify or the best two score the same (homonyms, twins born the same
 * day with the same prénom): never link a CAS id then.
 *
 * @example
 * matchIdentity({ nom: 'Lefèvre', prenom: 'Hélène', dateNaissance: '03/04/2010' },
 *   [{ id: 'a1', nom: 'LEFEVRE', prenom: 'Helene', dateNaissance: '2010-04-03' }]);
 * // → { verdict: 'match', candidates: [{ id: 'a1', fields: { nom: 'normalised', prenom: 'normalised', dateNaissance: 'exact' } }] }
 */
export function matchIdentity(
  ent: Identity,
  accounts: ReadonlyArray<Identity & { id: string }>,
): IdentityMatch {
  const ranked = accounts
    .map((a) => ({ id: a.id, fields: compareFields(ent, a), codePostal: postcodeMatch(ent, a) }))
    .filter((c) => isPlausible(c.fields))
    .map((c) => ({
      ...c,
      // Responsables rarely have a birth date: where both sides give a postcode, it must agree too.
      match: isMatch(c.fields) && c.codePostal !== 'different',
      score: score(c.fields) + (c.codePostal ? POSTCODE_WEIGHT[c.codePostal] : 0),
    }))
    .sort(
      (x, y) =>
        Number(y.match) - Number(x.match) || y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
    );
  const candidates = ranked.map(({ id, fields, codePostal }) => ({
    id,
    fields,
    ...(codePostal ? { codePostal } : {}),
  }));
  const [best, second] = ranked;
  const matches = ranked.filter((c) => c.match).length;
  if (matches > 1) return { verdict: 'ambiguous', candidates };
  if (matches === 1) return { verdict: 'match', candidates };
  if (!best) return { verdict: 'none', candidates };
  return { verdict: second && second.score === best.score ? 'ambiguous' : 'mismatch', candidates };
}
