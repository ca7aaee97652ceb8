import { fieldLabel, frenchDate, KIND_LABELS, STATE_SHORT, valueLabel } from '../pronote/correction-words.js';
import type { Correction } from '../pronote/corrections.js';
import { csvLine } from './reconcile-csv.js';

const HEADER = [
  'État',
  'Correction',
  'Nom',
  'Prénom',
  'Champ',
  'PRONOTE au dernier import',
  'À mettre dans PRONOTE',
  'Préparée le',
  'Par',
  'Faite dans PRONOTE le',
  'Vérifiée, contredite ou annulée le',
  'Lot',
];

/**
 * A school's corrections as CSV, one line per changed field, in the same words as the page. Cells a
 * spreadsheet would run as a formula are neutralised by `csvLine`.
 */
export function correctionsCsv(list: readonly Correction[]): string {
  const lines = [csvLine(HEADER)];
  for (const c of list) {
    for (const ch of c.changes) {
      lines.push(
        csvLine([
          STATE_SHORT[c.state],
          KIND_LABELS[c.kind],
          c.person?.nom ?? 'Console PRONOTE.net',
          c.person?.prenom ?? '',
          fieldLabel(ch.field),
          valueLabel(ch.field, ch.before),
          valueLabel(ch.field, ch.after),
          frenchDate(c.at),
          c.by,
          frenchDate(c.appliedAt),
          frenchDate(c.settledAt),
          c.batchId,
        ]),
      );
    }
  }
  return lines.join('');
}
