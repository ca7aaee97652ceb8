import { defuseFormula } from './formula-cell.js';
import type { PronoteAccount } from './model.js';

/** Columns the PRONOTE client maps when a list is pasted into it, with the headers it recognises. */
const COLUMNS = {
  nom: 'Nom',
  prenom: 'Prénom',
  dateNaissance: 'Né(e) le',
  casId: 'Identifiant CAS',
  pronoteEntId: 'Identifiant PRONOTE-ENT',
  classe: 'Classe',
  email: 'Adresse E-mail',
} as const;

export type PasteField = keyof typeof COLUMNS;

const DEFAULT_FIELDS: readonly PasteField[] = ['nom', 'prenom', 'dateNaissance', 'casId'];

/**
 * A tab or a line break inside a cell would shift columns or start a new row in the client; a formula would
 * run when the download is opened in a spreadsheet rather than pasted.
 */
const cell = (value: string | null): string => defuseFormula((value ?? '').replace(/[\t\r\n]+/g, ' ').trim());

const frenchDate = (iso: string | null): string => {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
};

/**
 * Rows ready to paste into the PRONOTE client (« Importer depuis le presse-papier »): a header line,
 * tab-separated cells, dates as JJ/MM/AAAA, CRLF line ends since the client runs on Windows.
 *
 * @example
 * pasteRows([gervais]) // 'Nom\tPrénom\tNé(e) le\tIdentifiant CAS\r\nGERVAIS\tFlorence\t\tflorence.gervais\r\n'
 */
export function pasteRows(
  accounts: readonly PronoteAccount[],
  fields: readonly PasteField[] = DEFAULT_FIELDS,
): string {
  const header = fields.map((f) => COLUMNS[f]);
  const rows = accounts.map((a) =>
    fields.map((f) => (f === 'dateNaissance' ? frenchDate(a.dateNaissance) : cell(a[f]))),
  );
  return [header, ...rows].map((r) => `${r.join('\t')}\r\n`).join('');
}
