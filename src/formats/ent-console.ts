import { entLoginProblem } from '../pronote/ent-login.js';
import type { Profile } from '../pronote/model.js';
import {
  cellReader,
  checkWidth,
  clean,
  columnsOf,
  type EntRow,
  fail,
  headerKey,
  type Line,
  profilesOf,
} from './pronote-export.js';

/**
 * The users export of an Open ENT NG administration console: UTF-8 with a BOM, `;`, every field quoted,
 * one « Type » per account (Élève, Enseignant, Parent, Personnel, Invité). « Identifiant » is the login
 * the CAS sends to PRONOTE; the alias is only what the person may type at sign-in. A teacher who is
 * also a parent is one « Enseignant » row with « Enfants » filled: both profiles are read. Guests have no
 * PRONOTE account and are counted apart.
 */

export const CONSOLE_COLUMNS = {
  id: ['Id'],
  siecle: ['Identifiant SIECLE'],
  type: ['Type'],
  nom: ['Nom'],
  prenom: ['Prénom'],
  login: ['Identifiant'],
  alias: ['Login personnalisé (Alias)'],
  activation: ['Code d’activation'],
  fonctions: ['Fonctions'],
  etablissements: ['Établissements'],
  classes: ['Classes'],
  enfants: ['Enfants'],
  parents: ['Parents'],
  connexion: ['Dernière connexion'],
  courriel: ['Courriel'],
  telephone: ['Téléphone'],
};

export interface ConsoleRow extends EntRow {
  /** « Identifiant SIECLE »: the AAF's ENTPersonJointure, to join an AAF file's identities. */
  jointure?: string;
}

const KNOWN = new Set(Object.values(CONSOLE_COLUMNS).flatMap((names) => names.map(headerKey)));

/** Whether a header row is a console export's: its « Type » and « Identifiant » with the alias or activation code. */
export function isConsoleHeader(keys: ReadonlySet<string>): boolean {
  return (
    keys.has('TYPE') &&
    keys.has('IDENTIFIANT') &&
    (keys.has('LOGINPERSONNALISEALIAS') || keys.has('CODEDACTIVATION'))
  );
}

export function readEntConsole(lines: Line[], separator: string): { rows: ConsoleRow[]; guests: number } {
  const [header, ...rows] = lines;
  if (!header) return fail(1, undefined, 'fichier vide.');
  // The console writes a fixed header: a column it does not write means another file, or an edited one.
  header.cells.forEach((cell) => {
    if (cell.trim() !== '' && !KNOWN.has(headerKey(cell))) {
      fail(header.line, clean(cell), 'colonne inconnue dans un export de console ENT (Open ENT NG).');
    }
  });
  const columns = columnsOf(header, CONSOLE_COLUMNS, ['type', 'nom', 'prenom', 'login']);
  const cells = cellReader(columns);
  const seen = new Map<string, number>();
  let guests = 0;
  const out: ConsoleRow[] = [];
  for (const row of rows) {
    checkWidth(row, columns.width, separator);
    const cell = cells.at(row);
    const login = cell.required('login');
    const problem = entLoginProblem((cell.raw('login') ?? '').trim());
    if (problem) fail(row.line, cell.label('login'), `identifiant « ${login} » refusé : ${problem}`);
    const first = seen.get(login.toLowerCase());
    if (first !== undefined) fail(row.line, cell.label('login'), `« ${login} » figure déjà ligne ${first}.`);
    seen.set(login.toLowerCase(), row.line);
    const type = profilesOf(cell.required('type'), row.line, cell.label('type'));
    if (type.length === 0) {
      guests += 1;
      continue;
    }
    const profiles: Profile[] = [...type];
    if (!profiles.includes('responsable') && cell.optional('enfants')) profiles.push('responsable');
    const jointure = cell.optional('siecle');
    out.push({
      line: row.line,
      login,
      nom: cell.name('nom'),
      prenom: cell.name('prenom'),
      profiles,
      ...(jointure ? { jointure } : {}),
    });
  }
  return { rows: out, guests };
}
