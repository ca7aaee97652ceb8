import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { birthDateProblem, nameProblem } from '../../flows/person-fields.js';
import { entLoginProblem } from '../pronote/ent-login.js';
import type { Profile } from '../pronote/model.js';
import { dateKey, foldText } from '../pronote/normalise.js';

/**
 * Reads PRONOTE list exports (« Copier la liste (format CSV) ») and ENT user exports as schools
 * actually send them: Windows-1252 or UTF-8, a BOM or not, `;`, `,` or tab, headers typed by hand.
 * Pure: bytes in, rows out, or one ExportError in French naming the line and the column.
 */

export type { Profile } from '../pronote/model.js';

export interface PronoteRow {
  /** Line of the file where the row starts, for messages. */
  line: number;
  nom: string;
  prenom: string;
  /** AAAA-MM-JJ. */
  dateNaissance?: string;
  casId?: string;
  pronoteEntId?: string;
  classe?: string;
  /** Absent when the export has no « Esp. par. » column: unknown, not false. */
  espaceParents?: boolean;
  email?: string;
  loginPronote?: string;
  /** Children named on a responsable's row, as written (« DUPONT Léa »). */
  enfants?: string[];
}

export interface EntRow {
  line: number;
  login: string;
  nom: string;
  prenom: string;
  /** AAAA-MM-JJ. */
  dateNaissance?: string;
  profiles: Profile[];
  uai?: string;
  /** « Identifiant PRONOTE-ENT », where the ENT's export carries it. */
  pronoteEntId?: string;
}

/** A file refused as a whole, with the line (and the column, when one is at fault) to fix. */
export class ExportError extends Error {
  readonly line: number;
  readonly column?: string;

  constructor(message: string, line: number, column?: string) {
    super(message);
    this.name = 'ExportError';
    this.line = line;
    if (column !== undefined) this.column = column;
  }
}

export const fail = (line: number, column: string | undefined, what: string): never => {
  const where = column === undefined ? `Ligne ${line}` : `Ligne ${line}, colonne « ${column} »`;
  throw new ExportError(`${where} : ${what}`, line, column);
};

/**
 * UTF-8 (the BOM is dropped), UTF-16 with its BOM (Excel's « Texte Unicode »), or else Windows-1252,
 * which is what PRONOTE and Excel write on a French Windows: bytes that are not valid UTF-8 are that.
 */
export function decodeExport(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, 'utf-16le');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-1252');
  }
}

export interface Line {
  line: number;
  cells: string[];
}

const SEPARATORS = [';', '\t', ','] as const;
const SEPARATOR_NAMES: Record<string, string> = { ';': '« ; »', '\t': 'la tabulation', ',': '« , »' };

/** The separator seen most often in the header, quoted text aside; `;` (PRONOTE's) on a tie. */
function separatorOf(text: string): string {
  const header = (text.split('\n').find((l) => l.trim() !== '') ?? '').replace(/"[^"]*"/g, '');
  const count = (sep: string) => header.split(sep).length - 1;
  return SEPARATORS.reduce((best, sep) => (count(sep) > count(best) ? sep : best));
}

/** Records with the line each starts on (a quoted cell may span lines); blank lines left out. */
export function readLines(bytes: Uint8Array): { lines: Line[]; separator: string } {
  const text = decodeExport(bytes).replace(/\r\n?/g, '\n');
  const separator = separatorOf(text);
  const lines: Line[] = [];
  let end = 0;
  try {
    parse(text, {
      delimiter: separator,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      on_record: (cells: string[], context) => {
        if (cells.some((c) => c.trim() !== '')) lines.push({ line: end + 1, cells });
        end = context.lines;
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // The record being read when the parser gave up is the one whose quote never closes.
    fail(end + 1, undefined, 'un guillemet ouvert ici n’est jamais refermé.');
  }
  return { lines, separator };
}

// Exports put non-breaking spaces and doubled spaces in names; accents stay as given.
// Control characters (a NUL from a damaged file) mean nothing in a name, and PostgreSQL refuses NUL in text.
export const clean = (cell: string) =>
  cell
    .replace(/\s+/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();

/** « Né(e) le », « NE(E) LE », « né(e)  le » all give NEELE. */
export const headerKey = (header: string) => foldText(header).replace(/[^A-Z0-9]/g, '');

interface Column {
  index: number;
  label: string;
}

export interface Columns<F extends string> {
  byField: Map<F, Column>;
  /** Up to the last named header cell. */
  width: number;
}

/**
 * Finds the known columns, each listed with the headers it goes by (the first is the one named in
 * messages); unknown ones are ignored. A required column missing, or a known one given twice,
 * refuses the file: guessing would load the wrong data.
 */
export function columnsOf<F extends string>(
  header: Line,
  aliases: Record<F, readonly string[]>,
  required: readonly NoInfer<F>[],
): Columns<F> {
  const fieldOf = new Map<string, F>();
  for (const [field, names] of Object.entries(aliases) as Array<[F, readonly string[]]>) {
    for (const name of names) fieldOf.set(headerKey(name), field);
  }
  const byField = new Map<F, Column>();
  header.cells.forEach((cell, index) => {
    const field = fieldOf.get(headerKey(cell));
    if (field === undefined) return;
    const label = clean(cell);
    const first = byField.get(field);
    if (first) fail(header.line, label, `colonne en double (colonnes ${first.index + 1} et ${index + 1}).`);
    byField.set(field, { index, label });
  });
  const read = header.cells.map(clean).filter((c) => c !== '');
  for (const field of required) {
    if (!byField.has(field)) {
      const what = `colonne « ${aliases[field][0]} » introuvable dans l’en-tête (lu : ${read.join(', ')}).`;
      fail(header.line, undefined, what);
    }
  }
  return { byField, width: header.cells.reduce((w, c, i) => (c.trim() === '' ? w : i + 1), 0) };
}

/**
 * Spreadsheets pad rows and headers with empty cells; only a cell missing under a named column or
 * a value beyond the last named one means the row is shifted (an unquoted separator, a lost cell).
 */
export function checkWidth(row: Line, width: number, separator: string): void {
  const beyond = row.cells.slice(width).some((c) => c.trim() !== '');
  if (row.cells.length >= width && !beyond) return;
  const count = row.cells.filter((c, i) => i < width || c.trim() !== '').length;
  fail(
    row.line,
    undefined,
    `${count} cellules au lieu de ${width}. Une valeur contient-elle le séparateur ${SEPARATOR_NAMES[separator]} sans guillemets, ou manque-t-il une cellule ?`,
  );
}

/**
 * Reads a row's cells by field: '' for an empty cell, undefined for a column the file lacks. One reader
 * per file, moved from row to row by `at`: a hundred thousand rows need not make six functions each.
 */
export function cellReader<F extends string>({ byField }: Columns<F>) {
  let row: Line = { line: 0, cells: [] };
  const label = (field: F) => byField.get(field)?.label;
  const raw = (field: F) => {
    const c = byField.get(field);
    return c === undefined ? undefined : (row.cells[c.index] ?? '');
  };
  const text = (field: F) => {
    const value = raw(field);
    return value === undefined ? undefined : clean(value);
  };
  const optional = (field: F) => text(field) || undefined;
  const required = (field: F) => text(field) || fail(row.line, label(field), 'valeur vide.');
  const date = (field: F) => {
    const value = optional(field);
    if (value === undefined) return undefined;
    const what = `date illisible « ${value} » (attendu JJ/MM/AAAA ou AAAA-MM-JJ).`;
    const day = dateKey(value) ?? fail(row.line, label(field), what);
    const problem = birthDateProblem(day);
    return problem ? fail(row.line, label(field), `date « ${value} » refusée : ${problem}`) : day;
  };
  /**
   * A nom or prénom, once cleaned as every cell is (spaces collapsed, control characters of a damaged file
   * dropped); what cleaning leaves, such as a zero-width space or a bidirectional override, is refused.
   */
  const name = (field: F) => {
    const value = required(field);
    const problem = nameProblem(value);
    return problem ? fail(row.line, label(field), `« ${value} » refusé : un nom ${problem}`) : value;
  };
  const reader = { label, raw, text, optional, required, date, name };
  return {
    at(next: Line) {
      row = next;
      return reader;
    },
  };
}

const DATE_HEADERS = ['Né(e) le', 'Né le', 'Née le', 'Date de naissance', 'Date naissance'];

const PRONOTE_COLUMNS = {
  nom: ['Nom'],
  prenom: ['Prénom'],
  dateNaissance: DATE_HEADERS,
  casId: ['Identifiant CAS'],
  pronoteEntId: ['Identifiant PRONOTE-ENT'],
  classe: ['Classe'],
  espaceParents: ['Esp. par.', 'Accès à l’Espace Parents'],
  email: ['Adresse E-mail', 'E-mail'],
  loginPronote: ['Identifiant de connexion'],
  enfants: ['Enfants', 'Enfant(s)', 'Élèves', 'Élève(s)'],
};

const YES = new Set(['OUI', 'O', 'X', '✓', '✔', '1', 'VRAI', 'TRUE']);
const NO = new Set(['', 'NON', 'N', '0', 'FAUX', 'FALSE']);

function yesNo(value: string, line: number, column: string | undefined): boolean {
  const key = foldText(value);
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return fail(line, column, `valeur « ${value} » non comprise (attendu Oui ou Non).`);
}

// « DUPONT Léa, DUPONT Tom », or one child per line inside the cell.
const childrenOf = (raw: string) =>
  raw
    .split(/[,;/\n]/)
    .map(clean)
    .filter(Boolean);

/** Rows of a PRONOTE list export; the whole file is refused at its first bad line. */
export function parsePronoteExport(bytes: Uint8Array): PronoteRow[] {
  const { lines, separator } = readLines(bytes);
  return pronoteRows(lines, separator);
}

/** Rows of a PRONOTE list export already split into lines (the kind detection reads them once). */
export function pronoteRows(lines: Line[], separator: string): PronoteRow[] {
  const [header, ...rows] = lines;
  if (!header) return fail(1, undefined, 'fichier vide, une ligne d’en-tête (Nom, Prénom…) est attendue.');
  const columns = columnsOf(header, PRONOTE_COLUMNS, ['nom', 'prenom']);
  const cells = cellReader(columns);
  return rows.map((row) => {
    checkWidth(row, columns.width, separator);
    const cell = cells.at(row);
    const espaceParents = cell.text('espaceParents');
    const enfants = cell.raw('enfants');
    return {
      line: row.line,
      nom: cell.name('nom'),
      prenom: cell.name('prenom'),
      dateNaissance: cell.date('dateNaissance'),
      casId: cell.optional('casId'),
      pronoteEntId: cell.optional('pronoteEntId'),
      classe: cell.optional('classe'),
      espaceParents:
        espaceParents === undefined ? undefined : yesNo(espaceParents, row.line, cell.label('espaceParents')),
      email: cell.optional('email'),
      loginPronote: cell.optional('loginPronote'),
      enfants: enfants === undefined ? undefined : childrenOf(enfants),
    };
  });
}

const ENT_COLUMNS = {
  login: ['Login', 'Identifiant', 'Identifiant ENT'],
  nom: ['Nom'],
  prenom: ['Prénom'],
  dateNaissance: DATE_HEADERS,
  profiles: ['Profil', 'Profils', 'Catégories', 'Catégorie'],
  uai: ['UAI', 'Établissement'],
  pronoteEntId: ['Identifiant PRONOTE-ENT', 'identifiantPronoteEnt', 'pronoteEntId'],
};

// The words ENTs use for a profile, singular, in French, in English (Open ENT NG) and as CAS categories.
const PROFILE_WORDS = new Map<string, Profile | null>([
  ...['ELEVE', 'STUDENT', 'NATIONAL1'].map((w) => [w, 'eleve'] as const),
  ...['PARENT', 'RESPONSABLE', 'RELATIVE', 'NATIONAL2'].map((w) => [w, 'responsable'] as const),
  ...['ENSEIGNANT', 'PROFESSEUR', 'TEACHER', 'NATIONAL3'].map((w) => [w, 'professeur'] as const),
  ...['PERSONNEL', 'NATIONAL4'].map((w) => [w, 'personnel'] as const),
  // Guests have no PRONOTE account to connect to.
  ...['INVITE', 'GUEST'].map((w) => [w, null] as const),
]);

export function profilesOf(value: string, line: number, column: string | undefined): Profile[] {
  const profiles = value
    .split(/[;,|]/)
    .map(clean)
    .filter((word) => word !== '')
    .map((word) => {
      const profile = PROFILE_WORDS.get(headerKey(word).replace(/S$/, ''));
      if (profile !== undefined) return profile;
      const expected = 'attendu Élève, Parent, Enseignant, Personnel ou National_1 à National_4';
      return fail(line, column, `profil « ${word} » inconnu (${expected}).`);
    })
    .filter((p): p is Profile => p !== null);
  return [...new Set(profiles)];
}

const UAI = /\b\d{7}[A-Z]\b/i;

/** Rows of an ENT user export; the whole file is refused at its first bad line. */
export function parseEntExport(bytes: Uint8Array): EntRow[] {
  const { lines, separator } = readLines(bytes);
  return entRows(lines, separator);
}

/** Rows of an ENT user export already split into lines. */
export function entRows(lines: Line[], separator: string): EntRow[] {
  const [header, ...rows] = lines;
  if (!header) return fail(1, undefined, 'fichier vide, une ligne d’en-tête (Login, Nom…) est attendue.');
  const columns = columnsOf(header, ENT_COLUMNS, ['login', 'nom', 'prenom']);
  const cells = cellReader(columns);
  const seen = new Map<string, number>();
  return rows.map((row) => {
    checkWidth(row, columns.width, separator);
    const cell = cells.at(row);
    const login = cell.required('login');
    // Checked as written: cleaning would hide a control character or a doubled space.
    const loginProblem = entLoginProblem((cell.raw('login') ?? '').trim());
    if (loginProblem)
      fail(row.line, cell.label('login'), `identifiant « ${login} » refusé : ${loginProblem}`);
    const school = cell.optional('uai');
    // « 0130001A - Collège Jean Moulin »: the code is what the import compares; one school per row.
    const uai = school === undefined ? undefined : school.match(UAI)?.[0].toUpperCase();
    if (school !== undefined && uai === undefined) {
      fail(row.line, cell.label('uai'), `aucun code UAI (7 chiffres et une lettre) dans « ${school} ».`);
    }
    const key = `${login.toLowerCase()}|${uai ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) fail(row.line, cell.label('login'), `« ${login} » figure déjà ligne ${first}.`);
    seen.set(key, row.line);
    const profiles = profilesOf(cell.text('profiles') ?? '', row.line, cell.label('profiles'));
    return {
      line: row.line,
      login,
      nom: cell.name('nom'),
      prenom: cell.name('prenom'),
      dateNaissance: cell.date('dateNaissance'),
      profiles,
      uai,
      ...(cell.optional('pronoteEntId') ? { pronoteEntId: cell.optional('pronoteEntId') } : {}),
    };
  });
}
