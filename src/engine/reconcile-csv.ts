import { defuseFormula } from '../pronote/formula-cell.js';
import {
  type AccountRef,
  type EntRef,
  type EntRow,
  isSafe,
  PROFILE_ESPACE,
  type ReconciliationReport,
} from './reconcile.js';
import {
  CAS_ID_LABELS,
  casIdDetail,
  describeAccount,
  FINDING_LABELS,
  findingDetail,
  frDate,
  NO_PARENT_ACCESS_LABEL,
  PROFILE_LABELS,
  PRONOTE_ONLY_LABEL,
} from './reconcile-labels.js';

/**
 * A reconciliation as CSV, one line per finding: every ENT account and profile, then PRONOTE's side
 * (accounts without ENT account, CAS ids, responsables without access, espaces). Semicolons, as a
 * French spreadsheet opens them; quoting per RFC 4180; CRLF line ends.
 */

const SEPARATOR = ';';

const HEADER = [
  'UAI',
  'Profil',
  'Constat',
  'Identifiant ENT',
  'Nom (ENT)',
  'Prénom (ENT)',
  'Né(e) le (ENT)',
  'Compte PRONOTE',
  'Nom (PRONOTE)',
  'Prénom (PRONOTE)',
  'Né(e) le (PRONOTE)',
  'Classe',
  'Identifiant CAS (PRONOTE)',
  'Détail',
  'Correction sûre',
];

/**
 * One cell per RFC 4180: quoted when it holds the separator, a quote, a line break or edge spaces, with
 * its quotes doubled. A cell a spreadsheet would run as a formula (= + - @) gets a leading apostrophe.
 */
export function csvCell(value: string): string {
  const safe = defuseFormula(value);
  return /[";\r\n,]|^\s|\s$/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (cells: readonly string[]): string => `${cells.map(csvCell).join(SEPARATOR)}\r\n`;

const entCells = (e: EntRef | null) =>
  e ? [e.login, e.nom, e.prenom, frDate(e.dateNaissance)] : ['', '', '', ''];

const accountCells = (a: AccountRef | null) =>
  a
    ? [a.id, a.nom, a.prenom, frDate(a.dateNaissance), a.classe ?? '', a.casId ?? '']
    : ['', '', '', '', '', ''];

/** The PRONOTE account a row is about: the one it matches or is linked to, the holder of its login. */
export function accountOfRow(row: EntRow): AccountRef | null {
  const f = row.finding;
  if (f.kind === 'login-held') return f.holder;
  if (f.kind === 'ambiguous' || f.kind === 'none') return null;
  return f.account;
}

function reportLines(r: ReconciliationReport): string[][] {
  const lines: string[][] = [];
  for (const row of r.rows) {
    lines.push([
      r.uai,
      PROFILE_LABELS[row.profile],
      FINDING_LABELS[row.finding.kind],
      ...entCells(row.ent),
      ...accountCells(accountOfRow(row)),
      findingDetail(row),
      isSafe(row.finding) ? 'oui' : 'non',
    ]);
  }
  const pronoteLine = (a: AccountRef, label: string, detail: string, ent: EntRef | null = null) => [
    r.uai,
    PROFILE_LABELS[a.profile],
    label,
    ...entCells(ent),
    ...accountCells(a),
    detail,
    'non',
  ];
  for (const a of r.pronoteOnly) lines.push(pronoteLine(a, PRONOTE_ONLY_LABEL, describeAccount(a)));
  for (const issue of r.casIds) {
    const accounts = issue.kind === 'duplicate' ? issue.accounts : [issue.account];
    const ent = issue.kind === 'wrong-person' ? issue.ent : null;
    for (const a of accounts) lines.push(pronoteLine(a, CAS_ID_LABELS[issue.kind], casIdDetail(issue), ent));
  }
  for (const p of r.responsablesWithoutAccess) {
    const eleves = p.eleves.length > 0 ? `élèves : ${p.eleves.join(' ; ')}` : 'aucun élève rattaché';
    lines.push(pronoteLine(p.account, NO_PARENT_ACCESS_LABEL, eleves));
  }
  for (const e of r.espaces) {
    const blank = ['', '', '', '', '', '', '', '', '', ''];
    lines.push(
      e.kind === 'base'
        ? [r.uai, '', 'Base non publiée', ...blank, `${e.people} comptes ENT concernés`, 'non']
        : [
            r.uai,
            PROFILE_LABELS[e.profile],
            `Espace ${PROFILE_ESPACE[e.profile]} non publié`,
            ...blank,
            `${e.people} comptes ENT concernés`,
            'non',
          ],
    );
  }
  return lines;
}

/** The CSV of one or several schools' reconciliations, under one header line. */
export function reconciliationCsv(reports: readonly ReconciliationReport[]): string {
  return [HEADER, ...reports.flatMap(reportLines)].map(csvLine).join('');
}
