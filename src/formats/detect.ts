import type { Profile } from '../pronote/model.js';
import { AAF_ROOT, readAaf } from './aaf.js';
import { type ConsoleRow, isConsoleHeader, readEntConsole } from './ent-console.js';
import type { PeopleFile } from './people.js';
import {
  type EntRow,
  ExportError,
  entRows,
  headerKey,
  type PronoteRow,
  pronoteRows,
  readLines,
} from './pronote-export.js';
import { readSiecleEleves } from './siecle-eleves.js';
import { readSiecleResponsables } from './siecle-responsables.js';
import { readSts } from './sts.js';
import { decodeXml, parseXml, xmlRootName } from './xml.js';

/**
 * Which file this is, told by its content (an XML root, a CSV header), never by its name: schools
 * rename files. Each kind is read by its own module; a file no kind fits is refused with what was read.
 */

export type FileKind =
  | 'pronote-list'
  | 'ent-csv'
  | 'ent-console'
  | 'aaf'
  | 'siecle-eleves'
  | 'siecle-responsables'
  | 'sts';

export type ReadFile =
  | { kind: 'pronote-list'; profile: Profile | null; rows: PronoteRow[] }
  | { kind: 'ent-csv'; rows: EntRow[] }
  | { kind: 'ent-console'; rows: ConsoleRow[]; guests: number }
  | { kind: 'aaf' | 'siecle-eleves' | 'siecle-responsables' | 'sts'; file: PeopleFile };

export const FILE_KIND_LABELS: Record<FileKind, string> = {
  'pronote-list': 'liste exportée de PRONOTE',
  'ent-csv': 'comptes ENT (format de l’assistant)',
  'ent-console': 'export de la console ENT (Open ENT NG)',
  aaf: 'annuaire AAF',
  'siecle-eleves': 'SIECLE élèves',
  'siecle-responsables': 'SIECLE responsables',
  sts: 'STS-Web (emploi du temps)',
};

const XML_READERS = {
  BEE_ELEVES: ['siecle-eleves', readSiecleEleves],
  BEE_RESPONSABLES: ['siecle-responsables', readSiecleResponsables],
  STS_EDT: ['sts', readSts],
} as const;

const looksLikeXml = (bytes: Uint8Array) => {
  const head = Buffer.from(bytes.subarray(0, 64))
    .toString('latin1')
    .replace(/^(\uFEFF|ï»¿)/, '');
  return head.trimStart().startsWith('<');
};

// Columns only a responsables list has; a pupils list has the class.
const RESPONSABLE_KEYS = ['ESPPAR', 'ACCESALESPACEPARENTS', 'ENFANTS', 'ELEVES'];

/** The profile a PRONOTE list is of, when its columns tell; null for teachers and staff, told apart by the person. */
function listProfile(keys: ReadonlySet<string>): Profile | null {
  if (RESPONSABLE_KEYS.some((k) => keys.has(k))) return 'responsable';
  if (keys.has('CLASSE')) return 'eleve';
  return null;
}

export function readSchoolFile(bytes: Uint8Array): ReadFile {
  if (bytes.length === 0) throw new ExportError('Ligne 1 : fichier vide.', 1);
  if (looksLikeXml(bytes)) {
    // AAF files are read as a stream: a region's are far too big for a tree.
    if (xmlRootName(bytes) === AAF_ROOT) return { kind: 'aaf', file: readAaf(bytes) };
    const { root, node } = parseXml(decodeXml(bytes));
    const reader = XML_READERS[root as keyof typeof XML_READERS];
    if (!reader) {
      const known = [...Object.keys(XML_READERS), AAF_ROOT].join(', ');
      throw new ExportError(
        `Ligne 1, élément <${root}> : fichier XML non reconnu (racines lues : ${known}).`,
        1,
        root,
      );
    }
    return { kind: reader[0], file: reader[1](node) };
  }
  const { lines, separator } = readLines(bytes);
  const header = lines[0];
  if (!header) throw new ExportError('Ligne 1 : fichier vide, une ligne d’en-tête est attendue.', 1);
  const keys = new Set(header.cells.map(headerKey).filter((k) => k !== ''));
  if (isConsoleHeader(keys)) return { kind: 'ent-console', ...readEntConsole(lines, separator) };
  if (keys.has('LOGIN') || keys.has('IDENTIFIANTENT'))
    return { kind: 'ent-csv', rows: entRows(lines, separator) };
  if (keys.has('NOM') && keys.has('PRENOM')) {
    return { kind: 'pronote-list', profile: listProfile(keys), rows: pronoteRows(lines, separator) };
  }
  const read = header.cells
    .map((c) => c.trim())
    .filter(Boolean)
    .join(', ');
  throw new ExportError(
    `Ligne ${header.line} : en-tête non reconnu (lu : ${read}). Fichiers lus : listes exportées de PRONOTE, export de la console ENT, comptes ENT (login, nom, prénom, profils), SIECLE, STS, AAF.`,
    header.line,
  );
}

/** How many people a read file holds, for the line the import prints. */
export function peopleIn(read: ReadFile): number {
  return 'file' in read ? read.file.people.length : read.rows.length;
}
