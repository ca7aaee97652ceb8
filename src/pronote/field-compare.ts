import { dateKey, foldText } from './normalise.js';

/**
 * The field-by-field comparison behind identity matching, also used on its own when an agent has picked
 * the account to compare with (a usage name differs entirely, yet it is that person).
 */

export type FieldMatch = 'exact' | 'normalised' | 'close' | 'different' | 'missing';
export type Fields = Record<'nom' | 'prenom' | 'dateNaissance', FieldMatch>;

interface Identity {
  nom: string;
  prenom: string;
  dateNaissance?: string;
  /** The other nom (birth or usage) when the side knows both. */
  nomNaissance?: string | null;
}

// A particle alone says nothing: « DE » is not « DE LA FONTAINE » given in part.
const PARTICLES = new Set(
  'D L DE DU DES LA LE LES DEL DELLA DI DA DO DOS DAS VAN VON DER DEN TER TEN Y'.split(' '),
);

const words = (folded: string) => folded.split(' ');
const compact = (folded: string) => folded.replaceAll(' ', '');

/**
 * Optimal string alignment distance: a swap of two neighbouring letters (« Mraie ») is one typo. One flat
 * table, kept from call to call: a reconciliation compares tens of thousands of names.
 */
let table = new Uint16Array(1024);
export function editDistance(a: string, b: string): number {
  const w = b.length + 1;
  const size = (a.length + 1) * w;
  if (table.length < size) table = new Uint16Array(size * 2);
  const d = table;
  const at = (i: number, j: number) => d[i * w + j] ?? 0;
  for (let j = 0; j < w; j += 1) d[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    d[i * w] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * w + j] = best;
    }
  }
  return at(a.length, b.length);
}

// One typo in a 3-letter name is still that name; two typos are another name until it is long.
export function typosAllowed(letters: number): number {
  if (letters <= 2) return 0;
  return letters <= 6 ? 1 : 2;
}

/** Every word of the shorter side is in the longer one, and is more than a particle. */
export function isPartOf(a: string, b: string): boolean {
  const [wa, wb] = [words(a), words(b)];
  const [small, large] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  const all = new Set(large);
  return small.every((w) => all.has(w)) && small.some((w) => !PARTICLES.has(w));
}

function compareName(ent: string, account: string): FieldMatch {
  const [a, b] = [foldText(ent), foldText(account)];
  if (a === '' || b === '') return 'missing';
  if (ent === account || ent.normalize('NFC').trim() === account.normalize('NFC').trim()) return 'exact';
  if (a === b) return 'normalised';
  // Glued particles (« Delafontaine ») and compound names given in part are not typos but still close.
  const [ca, cb] = [compact(a), compact(b)];
  if (ca === cb || isPartOf(a, b)) return 'close';
  const allowed = typosAllowed(Math.min(ca.length, cb.length));
  // The distance is at least the difference in length: most names compared are far apart.
  if (Math.abs(a.length - b.length) > allowed) return 'different';
  return editDistance(a, b) <= allowed ? 'close' : 'different';
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

export const isSure = (f: FieldMatch) => f === 'exact' || f === 'normalised';

const ORDER: readonly FieldMatch[] = ['exact', 'normalised', 'close', 'different', 'missing'];

/**
 * The nom as PRONOTE compares it: when a side knows both noms (usage and birth), either may be the one
 * the other side shows. An agreement through the other nom is at best `normalised`: the noms shown
 * differ, yet it is that person (a married parent).
 */
function compareNoms(ent: Identity, account: Identity): FieldMatch {
  const shown = compareName(ent.nom, account.nom);
  const others = [
    [ent.nom, account.nomNaissance],
    [ent.nomNaissance, account.nom],
    [ent.nomNaissance, account.nomNaissance],
  ]
    .filter((pair): pair is [string, string] => Boolean(pair[0] && pair[1]))
    .map(([a, b]) => compareName(a, b))
    .map((f) => (f === 'exact' ? 'normalised' : f));
  return [shown, ...others].reduce((best, f) => (ORDER.indexOf(f) < ORDER.indexOf(best) ? f : best));
}

/** How one ENT identity compares with one PRONOTE account, field by field, plausible or not. */
export function compareFields(ent: Identity, account: Identity): Fields {
  const nom = compareNoms(ent, account);
  const prenom = compareName(ent.prenom, account.prenom);
  const dateNaissance = compareDate(ent.dateNaissance, account.dateNaissance);
  if (isSure(nom) && isSure(prenom)) return { nom, prenom, dateNaissance };
  // Nom typed as prénom and the reverse: both fields are wrong where they stand, yet it is that person.
  const swapped =
    isSure(compareName(ent.nom, account.prenom)) && isSure(compareName(ent.prenom, account.nom));
  return swapped ? { nom: 'close', prenom: 'close', dateNaissance } : { nom, prenom, dateNaissance };
}
