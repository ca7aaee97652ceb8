/**
 * What an ENT login may look like: the CAS sends it to PRONOTE as is, PRONOTE stores it in
 * « Identifiant CAS », and the agent pastes it into the PRONOTE client and into spreadsheets. A space,
 * a quote or a control character breaks the comparison or the paste; a leading `= + - @` turns the cell
 * into a formula when the row is opened in a spreadsheet. Real ENT logins (prenom.nom, prenom.nom12,
 * an opaque id) never need any of them.
 */

const QUOTES = /["'`«»‘’“”]/;

/** Why this ENT login is refused, in French, or null when it is acceptable. Pure. */
export function entLoginProblem(login: string): string | null {
  if (login === '') return 'un identifiant ENT ne peut pas être vide.';
  if (/\p{Cc}|\p{Cf}/u.test(login)) return 'un identifiant ENT ne contient pas de caractère de contrôle.';
  if (/\s/u.test(login)) return 'un identifiant ENT ne contient pas d’espace.';
  if (QUOTES.test(login)) return 'un identifiant ENT ne contient pas de guillemet ni d’apostrophe.';
  if (/^[=+\-@]/.test(login))
    return 'un identifiant ENT ne commence pas par =, +, - ou @ (un tableur le lirait comme une formule).';
  if (login.length > 100) return 'un identifiant ENT a 100 caractères au plus.';
  return null;
}
