import { editDistance, isPartOf, typosAllowed } from './field-compare.js';
import { dateKey, foldText } from './normalise.js';

/**
 * What tells an ENT value from the PRONOTE one, named the way a person would say it (« jour et mois
 * inversés », « une lettre de différence »): the comparison step and the end user's diagnosis show this
 * instead of a bare « proche » or « différent ».
 */

export type DifferenceKind =
  | 'same'
  | 'case'
  | 'accents'
  | 'punctuation'
  | 'glued'
  | 'part'
  | 'one-letter'
  | 'swapped-letters'
  | 'letters'
  | 'day-month'
  | 'year'
  | 'one-digit'
  | 'swapped-names'
  | 'usage-name'
  | 'missing-ent'
  | 'missing-pronote'
  | 'different';

export type IdentityField = 'nom' | 'prenom' | 'dateNaissance';

export interface FieldDifference {
  kind: DifferenceKind;
  /** In French, lower case, to put in a table cell or after « : ». */
  label: string;
}

export interface IdentityValues {
  nom?: string | undefined;
  prenom?: string | undefined;
  dateNaissance?: string | undefined;
}

/** Kinds where both values are the same person's same name or date, written differently. */
const SPELLING: ReadonlySet<DifferenceKind> = new Set(['same', 'case', 'accents', 'punctuation']);

/** The value is the same once spelling is set aside: PRONOTE's own comparison tolerates it. */
export const isSpellingOnly = (kind: DifferenceKind) => SPELLING.has(kind);

const LABELS: Record<Exclude<DifferenceKind, 'part' | 'letters'>, string> = {
  same: 'identique',
  case: 'majuscules et minuscules seulement',
  accents: 'accents seulement',
  punctuation: 'tirets, apostrophes ou espaces seulement',
  glued: 'mêmes mots, collés ou séparés',
  'one-letter': 'une lettre de différence',
  'swapped-letters': 'deux lettres inversées',
  'day-month': 'jour et mois inversés',
  year: 'même jour et même mois, année différente',
  'one-digit': 'un chiffre de différence',
  'swapped-names': 'nom et prénom inversés',
  'usage-name': 'nom d’usage / nom de naissance',
  'missing-ent': 'manque dans l’ENT',
  'missing-pronote': 'manque dans PRONOTE',
  different: 'entièrement différent',
};

const NUMBERS = ['zéro', 'une', 'deux', 'trois', 'quatre'];

function labelOf(kind: DifferenceKind, field: IdentityField, letters = 0): string {
  if (kind === 'part')
    return field === 'nom' ? 'nom composé donné en partie' : 'prénom composé donné en partie';
  if (kind === 'letters') return `${NUMBERS[letters] ?? String(letters)} lettres de différence`;
  if (kind === 'different' && field === 'dateNaissance') return 'date différente';
  return LABELS[kind];
}

const difference = (kind: DifferenceKind, field: IdentityField, letters?: number): FieldDifference => ({
  kind,
  label: labelOf(kind, field, letters),
});

/** Accents and ligatures gone, case kept: tells « accents seulement » from a punctuation difference. */
const withoutAccents = (s: string) =>
  s
    .replace(/Œ/g, 'OE')
    .replace(/œ/g, 'oe')
    .replace(/Æ/g, 'AE')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');

/** Same length, same letters but two neighbours swapped (« Mraie » / « Marie »). */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at: number[] = [];
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) at.push(i);
  const [i, j] = at;
  return at.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

function nameDifference(field: 'nom' | 'prenom', ent: string, pronote: string): FieldDifference {
  const [e, p] = [ent.normalize('NFC').trim(), pronote.normalize('NFC').trim()];
  const [fe, fp] = [foldText(e), foldText(p)];
  if (fe === '') return difference('missing-ent', field);
  if (fp === '') return difference('missing-pronote', field);
  if (e === p) return difference('same', field);
  if (e.toLocaleLowerCase('fr') === p.toLocaleLowerCase('fr')) return difference('case', field);
  if (withoutAccents(e).toLocaleLowerCase('fr') === withoutAccents(p).toLocaleLowerCase('fr'))
    return difference('accents', field);
  if (fe === fp) return difference('punctuation', field);
  if (fe.replaceAll(' ', '') === fp.replaceAll(' ', '')) return difference('glued', field);
  if (isPartOf(fe, fp)) return difference('part', field);
  const typos = editDistance(fe, fp);
  const letters = Math.min(fe.replaceAll(' ', '').length, fp.replaceAll(' ', '').length);
  if (typos === 1) return difference(isSwap(fe, fp) ? 'swapped-letters' : 'one-letter', field);
  if (typos <= typosAllowed(letters)) return difference('letters', field, typos);
  return difference('different', field);
}

function dateDifference(ent: string, pronote: string): FieldDifference {
  const field = 'dateNaissance';
  const [e, p] = [ent.trim(), pronote.trim()];
  if (e === '') return difference('missing-ent', field);
  if (p === '') return difference('missing-pronote', field);
  const [ke, kp] = [dateKey(e), dateKey(p)];
  if (ke === null || kp === null) return difference(e === p ? 'same' : 'different', field);
  if (ke === kp) return difference('same', field);
  const [ye, me, de] = ke.split('-');
  const [yp, mp, dp] = kp.split('-');
  if (ye === yp && me === dp && de === mp) return difference('day-month', field);
  if (me === mp && de === dp) return difference('year', field);
  const digits = [...ke.replaceAll('-', '')].filter((c, i) => c !== kp.replaceAll('-', '')[i]).length;
  return difference(digits === 1 ? 'one-digit' : 'different', field);
}

/**
 * How one field's ENT value differs from the PRONOTE one, on its own.
 *
 * @example
 * fieldDifference('dateNaissance', '03/05/2011', '2011-03-05').label; // 'jour et mois inversés'
 */
export function fieldDifference(
  field: IdentityField,
  ent: string | undefined,
  pronote: string | undefined,
): FieldDifference {
  return field === 'dateNaissance'
    ? dateDifference(ent ?? '', pronote ?? '')
    : nameDifference(field, ent ?? '', pronote ?? '');
}

const agrees = (d: FieldDifference) => isSpellingOnly(d.kind);

/**
 * Every field's difference, read together: a nom and a prénom each in the other's place are « nom et
 * prénom inversés »; a nom with nothing in common while the prénom and the birth date agree is the
 * usage name on one side and the birth name on the other.
 */
export function identityDifferences(
  ent: IdentityValues,
  pronote: IdentityValues,
): Record<IdentityField, FieldDifference> {
  const nom = fieldDifference('nom', ent.nom, pronote.nom);
  const prenom = fieldDifference('prenom', ent.prenom, pronote.prenom);
  const dateNaissance = fieldDifference('dateNaissance', ent.dateNaissance, pronote.dateNaissance);
  if (!agrees(nom) || !agrees(prenom)) {
    const crossed =
      agrees(fieldDifference('nom', ent.nom, pronote.prenom)) &&
      agrees(fieldDifference('prenom', ent.prenom, pronote.nom));
    if (crossed) {
      const swapped = difference('swapped-names', 'nom');
      return { nom: swapped, prenom: { ...swapped }, dateNaissance };
    }
  }
  const dateAgrees = agrees(dateNaissance) || dateNaissance.kind.startsWith('missing');
  if (nom.kind === 'different' && agrees(prenom) && dateAgrees)
    return { nom: difference('usage-name', 'nom'), prenom, dateNaissance };
  return { nom, prenom, dateNaissance };
}
