import type { AuditAction, AuditEntry } from '../pronote/audit.js';
import { fieldLabel, STATE_LABELS, valueLabel } from '../pronote/correction-words.js';
import type { Correction } from '../pronote/corrections.js';
import type { PronotePort } from '../pronote/port.js';
import { IDENTIFICATION_MODE_FIELD } from '../pronote/school-settings.js';
import type { ContentCatalog } from './content.js';

/** The step an agent's change of the school's settings is journaled under. */
export const SETTINGS_STEP = 'school-settings';

/** One line of the journal as an agent reads it: French words, dates as JJ/MM/AAAA, the person named. */
export interface JournalLine {
  id: string;
  /** JJ/MM/AAAA HH:MM, Paris time. */
  at: string;
  actor: string;
  uai: string;
  action: string;
  /** « NOM Prénom », « Console PRONOTE.net », « Réglages de l’établissement », or empty when the account is gone. */
  person: string;
  changes: Array<{ field: string; before: string; after: string }>;
  /** The step's title, as link text to the session at that step. */
  link: { href: string; text: string } | null;
  /** Where the correction stands (« À faire dans PRONOTE », « Annulée »…); null for an undo line. */
  state: string | null;
  undone: boolean;
  undoable: boolean;
}

const ACTIONS: Record<AuditAction, string> = {
  'set-identity': 'Identité alignée sur l’ENT',
  'set-cas-id': 'Identifiant CAS renseigné',
  'clear-cas-ids': 'Identifiant CAS supprimé',
  'set-espace-parents': 'Accès à l’Espace Parents',
  'unpublish-base': 'Base dépubliée',
  'publish-espace': 'Espace publié',
  'publish-base': 'Base publiée',
  'set-identification-mode': 'Mode d’identification de l’établissement décrit',
  undo: 'Annulation d’une correction',
};

const PARIS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** « 29/11/2026 à 22:05 », Paris time. */
export const frenchDateTime = (iso: string): string => PARIS.format(new Date(iso)).replace(' ', ' à ');

/**
 * The journal's lines for an agent: each entry with the person, the French field names and the state of
 * the correction it asked for. Reads the corrections of each batch shown, once.
 */
export async function journalLines(
  pronote: Pick<PronotePort, 'listCorrections' | 'getAccount'>,
  content: ContentCatalog,
  entries: readonly AuditEntry[],
): Promise<JournalLine[]> {
  const batches = new Map<string, Correction[]>();
  for (const e of entries) {
    const key = `${e.uai}|${e.batchId}`;
    if (!batches.has(key))
      batches.set(key, await pronote.listCorrections({ uai: e.uai, batchId: e.batchId }));
  }
  // Entries older than corrections have none: undoable, as before, until an undo of theirs is seen.
  const undoneBatches = new Set(entries.flatMap((e) => (e.undoOf ? [e.undoOf] : [])));
  const lines: JournalLine[] = [];
  for (const e of entries) {
    const correction = (batches.get(`${e.uai}|${e.batchId}`) ?? []).find((c) => c.accountId === e.accountId);
    const account = correction?.person ?? (e.accountId ? await pronote.getAccount(e.uai, e.accountId) : null);
    const title = e.step ? stepTitle(content, e.step) : null;
    lines.push({
      id: e.id,
      at: frenchDateTime(e.at),
      actor: e.actor,
      uai: e.uai,
      action: ACTIONS[e.action],
      person:
        e.accountId !== null
          ? account
            ? `${account.nom} ${account.prenom}`
            : ''
          : IDENTIFICATION_MODE_FIELD in e.after
            ? 'Réglages de l’établissement'
            : 'Console PRONOTE.net',
      changes: Object.keys(e.after).map((field) => ({
        field: fieldLabel(field),
        before: valueLabel(field, e.before[field]),
        after: valueLabel(field, e.after[field]),
      })),
      link: e.sessionId ? { href: `/s/${e.sessionId}`, text: title ?? 'Ouvrir la session' } : null,
      state: correction ? STATE_LABELS[correction.state] : null,
      undone: correction ? correction.state === 'undone' : undoneBatches.has(e.batchId),
      undoable:
        e.action !== 'undo' &&
        (correction ? ['pending', 'applied'].includes(correction.state) : !undoneBatches.has(e.batchId)),
    });
  }
  return lines;
}

function stepTitle(content: ContentCatalog, step: string): string | null {
  if (step === 'reconciliation') return 'Réconciliation ENT–PRONOTE';
  if (step === 'undo') return 'Annulation depuis le journal';
  if (step === SETTINGS_STEP) return 'Réglages de l’établissement';
  try {
    return content.step(step, 'agent').title;
  } catch {
    return null;
  }
}
