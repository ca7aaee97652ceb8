/**
 * What a person's name and birth date may be, wherever they come in: typed in a flow or through the API,
 * read from an imported file, or written by a fix. One module, so that a name refused on one path is
 * not let in by another. Pure; the messages are French since they reach the person who typed the value.
 */

/** The longest name kept; longer is a paste gone wrong. */
export const NAME_MAX = 100;

/**
 * Letters of any script with their accents, and the spaces, hyphens, apostrophes and dots between them;
 * commas too, which PRONOTE exports hold (« DUPONT, épouse MARTIN ») and which no summary or sheet runs.
 */
const NAME = /^[\p{L}\p{M}' ’.,-]+$/u;
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;
/** Half of a character whose other half was lost (a cut paste): the string is not well formed. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control and format characters: zero-width spaces and joiners, bidirectional overrides, soft hyphens. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** Why this name is refused, or null when it is acceptable. `value` is taken as given (not trimmed). */
export function nameProblem(value: string): string | null {
  if (LONE_SURROGATE.test(value)) return 'contient un caractère illisible (texte abîmé) : retapez-le.';
  if (LINE_BREAK.test(value)) return 'tient sur une seule ligne.';
  if (INVISIBLE.test(value)) return 'contient un caractère invisible : retapez-le sans copier-coller.';
  if ([...value].length > NAME_MAX) return `ne peut pas dépasser ${NAME_MAX} caractères.`;
  if (!NAME.test(value))
    return 'ne peut contenir que des lettres, des espaces, des traits d’union, des apostrophes, des points et des virgules.';
  if (!/\p{L}/u.test(value)) return 'doit contenir au moins une lettre.';
  return null;
}

/** The earliest birth date taken: anyone in a school's data was born after it. */
export const EARLIEST_BIRTH = '1900-01-01';

/** Why this birth date (AAAA-MM-JJ, a real day) is refused, or null; `today` is AAAA-MM-JJ. */
export function birthDateProblem(iso: string, today: string = new Date().toISOString().slice(0, 10)) {
  if (iso < EARLIEST_BIRTH) return 'une date de naissance est postérieure à 1900.';
  if (iso > today) return 'une date de naissance ne peut pas être dans le futur.';
  return null;
}
