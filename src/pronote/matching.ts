import { dateKey, foldText } from './normalise.js';

export { dateKey } from './normalise.js';

/**
 * Identity matching: grades, field by field, how an ENT identity compares with PRONOTE accounts the
 * way people actually differ (case, accents, compound names, usage names, typos, swaps), and says
 * whether one account is that person.
 */

export type FieldMatch = 'exact' | 'normalised' | 'close' | 'different' | 'missing';

export interface Identity {
  nom: string;
  prenom: string;
  /** JJ/MM/AAAA or AAAA-MM-JJ. */
  dateNaissance?: string;
}

type Field = 'nom' | 'prenom' | 'dateNaissance';
type Fields = Record<Field, FieldMatch>;

export interface IdentityMatch {
  verdict: 'match' | 'mismatch' | 'ambiguous' | 'none';
  /** Plausible accounts only, best first. */
  candidates: Array<{ id: string; fields: Fields }>;
}

// A particle alone says nothing: « DE » is not « DE LA FONTAINE » given in part.
const PARTICLES = new Set(
  'D L DE DU DES LA LE LES DEL DELLA DI DA DO DOS DAS VAN VON DER DEN TER TEN Y'.split(' '),
);

const words = (folded: string) => folded.split(' ');
const compact = (folded: string) => folded.replaceAll(' ', '');

/** Optimal string alignment distance: a swap of two neighbouring letters (« Mraie ») is one typo. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

// One typo in a 3-letter name is still that name; two typos are another name until it is long.
function typosAllowed(letters: number): number {
  if (letters <= 2) return 0;
  return letters <= 6 ? 1 : 2;
}

/** Every word of the shorter side is in the longer one, and is more than a particle. */
function isPartOf(a: string, b: string): boolean {
  const [small, large] = words(a).length <= words(b).length ? [words(a), words(b)] : [words(b), words(a)];
  const all = new Set(large);
  return small.every((w) => all.has(w)) && small.some((w) => !PARTICLES.has(w));
}

function compareName(ent: string, account: string): FieldMatch {
  const [a, b] = [foldText(ent), foldText(account)];
  if (a === '' || b === '') return 'missing';
  if (ent.normalize('NFC').trim() === account.normalize('NFC').trim()) return 'exact';
  if (a === b) return 'normalised';
  // Glued particles (« Delafontaine ») and compound names given in part are not typos but still close.
  if (compact(a) === compact(b) || isPartOf(a, b)) return 'close';
  const letters = Math.min(compact(a).length, compact(b).length);
  return editDistance(a, b) <= typosAllowed(letters) ? 'close' : 'different';
}

function compareDate(ent: string | undefined, account: string | undefined): FieldMatch {
  const [a, b] = [ent?.trim() ?? '', account?.trim() ?? ''];
  if (a === '' || b === '') return 'missing';
  const [ka, kb] = [dateKey(a), dateKey(b)];
  if (ka === null || kb === null) return a === b ? 'exact' : 'different';
  if (ka === kb) return 'exact';
  const [ya, ma, da] = ka.split('-');
  const [yb, mb, db] = kb.split('-');
  return ya === yb && ma === db && da === mb ? 'close' : 'different';
}

const isSure = (f: FieldMatch) => f === 'exact' || f === 'normalised';

function compare(ent: Identity, account: Identity): Fields {
  const nom = compareName(ent.nom, account.nom);
  const prenom = compareName(ent.prenom, account.prenom);
  const dateNaissance = compareDate(ent.dateNaissance, account.dateNaissance);
  if (isSure(nom) && isSure(prenom)) return { nom, prenom, dateNaissance };
  // Nom typed as prénom and the reverse: both fields are wrong where they stand, yet it is that person.
  const swapped =
    isSure(compareName(ent.nom, account.prenom)) && isSure(compareName(ent.prenom, account.nom));
  return swapped ? { nom: 'close', prenom: 'close', dateNaissance } : { nom, prenom, dateNaissance };
}

/** Every field agrees once folded (a missing date is no objection), and both names are there. */
const isMatch = (f: Fields) =>
  isSure(f.nom) && isSure(f.prenom) && (f.dateNaissance === 'exact' || f.dateNaissance === 'missing');

/**
 * Worth showing as « this may be the person »: no name differs and at least one name is there, and
 * the date differs only when both names agree once folded. A wrong birth date under the right names
 * is exactly what stops a CAS connection by identity (FAQ case A); a wrong date with a merely close
 * name is too weak to propose.
 */
function isPlausible(f: Fields): boolean {
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
    .map((a) => ({ id: a.id, fields: compare(ent, a) }))
    .filter((c) => isPlausible(c.fields))
    .map((c) => ({ ...c, match: isMatch(c.fields), score: score(c.fields) }))
    .sort(
      (x, y) =>
        Number(y.match) - Number(x.match) || y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
    );
  const candidates = ranked.map(({ id, fields }) => ({ id, fields }));
  const [best, second] = ranked;
  const matches = ranked.filter((c) => c.match).length;
  if (matches > 1) return { verdict: 'ambiguous', candidates };
  if (matches === 1) return { verdict: 'match', candidates };
  if (!best) return { verdict: 'none', candidates };
  return { verdict: second && second.score === best.score ? 'ambiguous' : 'mismatch', candidates };
}
