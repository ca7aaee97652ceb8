import {
  fieldLabel,
  frenchDate,
  KIND_LABELS,
  STATE_LABELS,
  STATE_SHORT,
  valueLabel,
} from '../pronote/correction-words.js';
import { type Correction, OPEN_STATES } from '../pronote/corrections.js';
import type { PronotePort } from '../pronote/port.js';
import type { Checklist, CorrectionCard } from './checklist.js';
import { procedureOf } from './correction-procedure.js';
import type { ResultsView } from './results-view.js';

/** What a step needs to show the corrections of its fix. */
export type CorrectionReader = Pick<PronotePort, 'getAuditEntry' | 'listCorrections' | 'elevesOf'>;

export function correctionCard(c: Correction): CorrectionCard {
  const history: string[] = [];
  if (c.appliedAt)
    history.push(`Faite dans PRONOTE selon ${c.appliedBy ?? '?'}, le ${frenchDate(c.appliedAt)}.`);
  if (c.state === 'verified') history.push(`Vérifiée par l’import du ${frenchDate(c.settledAt)}.`);
  if (c.state === 'contradicted')
    history.push(
      c.seen === null
        ? `Contredite par l’import du ${frenchDate(c.settledAt)} : la personne n’y figure plus.`
        : `Contredite par l’import du ${frenchDate(c.settledAt)} : ${Object.entries(c.seen)
            .map(([field, value]) => `${fieldLabel(field)} « ${valueLabel(field, value)} »`)
            .join(', ')} dans PRONOTE.`,
    );
  if (c.state === 'undone') history.push(`Annulée par ${c.settledBy ?? '?'}, le ${frenchDate(c.settledAt)}.`);
  return {
    id: c.id,
    batchId: c.batchId,
    kind: c.kind,
    kindLabel: KIND_LABELS[c.kind],
    state: c.state,
    stateLabel: STATE_LABELS[c.state],
    stateShort: STATE_SHORT[c.state],
    person: c.person ? `${c.person.nom} ${c.person.prenom}` : 'Console PRONOTE.net',
    changes: c.changes.map((ch) => ({
      field: fieldLabel(ch.field),
      before: valueLabel(ch.field, ch.before),
      after: valueLabel(ch.field, ch.after),
    })),
    at: frenchDate(c.at),
    by: c.by,
    sessionId: c.sessionId,
    step: c.step,
    history,
    canMarkApplied: c.state === 'pending',
  };
}

/** A responsable's children as PRONOTE's « Élèves » column names them, read from the copy. */
async function childrenNames(pronote: Pick<PronotePort, 'elevesOf'>, uai: string, corrections: Correction[]) {
  const names = new Map<string, string>();
  for (const c of corrections) {
    if (c.person?.profile !== 'responsable' || !c.accountId) continue;
    const eleves = await pronote.elevesOf(uai, c.accountId);
    names.set(c.accountId, eleves.map((e) => `${e.nom} ${e.prenom}`).join(', '));
  }
  return names;
}

/**
 * The checklist of one fix from its corrections: the procedure for those still to do or said done (the
 * next import verifies them), or, once every one was undone after being done in PRONOTE, the reverse.
 */
export async function checklistOf(
  pronote: Pick<PronotePort, 'elevesOf'>,
  corrections: Correction[],
): Promise<Checklist | null> {
  const first = corrections[0];
  if (!first) return null;
  const children = await childrenNames(pronote, first.uai, corrections);
  const open = corrections.filter((c) => c.state === 'pending' || c.state === 'applied');
  const undoneAfterDone = corrections.filter((c) => c.state === 'undone' && c.appliedAt !== null);
  const reverse = open.length === 0 && undoneAfterDone.length > 0;
  const childrenOf = (id: string) => children.get(id) ?? '';
  return {
    batchId: first.batchId,
    uai: first.uai,
    cards: corrections.map(correctionCard),
    procedure: reverse ? procedureOf(undoneAfterDone, childrenOf, true) : procedureOf(open, childrenOf),
    reverse,
    pending: corrections.some((c) => c.state === 'pending'),
  };
}

/** The checklist of the fix an audit entry belongs to, for the agents of its school. */
export async function checklistOfEntry(
  pronote: CorrectionReader,
  auditId: string,
): Promise<Checklist | null> {
  const entry = await pronote.getAuditEntry(auditId);
  if (!entry) return null;
  return checklistOf(pronote, await pronote.listCorrections({ uai: entry.uai, batchId: entry.batchId }));
}

/**
 * Adds to an agent's findings what the corrections say: the fix's checklist, and the values PRONOTE still
 * has (as imported) beside the comparison's copy. True when the fix shown is still to do in PRONOTE.
 */
export async function withCorrections(
  reader: CorrectionReader,
  results: ResultsView,
  uai: string | null,
): Promise<FixProgress> {
  const auditId = results.fix?.auditId;
  const checklist =
    auditId && results.fix?.outcome === 'done' ? await checklistOfEntry(reader, auditId) : null;
  if (checklist && results.fix) results.fix.checklist = checklist;
  // The account or console the step shows, as the copy has it: say what PRONOTE still has.
  const shown = results.comparison?.account ?? results.access?.account;
  const target = shown ? shown.id : results.publication ? null : undefined;
  if (uai && target !== undefined) {
    const query = target === null ? { kind: 'publish-espace' as const } : { accountId: target };
    const open = (await reader.listCorrections({ uai, states: OPEN_STATES, ...query })).filter(
      (c) => c.accountId === target,
    );
    const imported = open.flatMap((c) =>
      c.changes.map((ch) => ({
        field: ch.field,
        label: fieldLabel(ch.field),
        value: valueLabel(ch.field, ch.before),
        state: STATE_SHORT[c.state],
      })),
    );
    if (imported.length > 0) results.imported = imported;
  }
  if (checklist?.pending) return 'pending';
  if (checklist?.cards.every((c) => c.state === 'undone')) return 'undone';
  return 'done';
}

/**
 * Where the fix shown stands: `pending` (to do in PRONOTE: the retry question waits), `undone` (nothing to
 * retry: compare again), or `done` (nothing left here, or no fix).
 */
export type FixProgress = 'pending' | 'undone' | 'done';

/** Marks each fix of a transcript with its correction's state, so an undone one reads « Annulée » in place. */
export async function withCorrectionStates(
  reader: CorrectionReader,
  results: Array<{ auditId?: string; correction?: { state: string; label: string; undoable: boolean } }>,
): Promise<void> {
  for (const r of results) {
    if (!r.auditId) continue;
    const entry = await reader.getAuditEntry(r.auditId);
    if (!entry) continue;
    const list = await reader.listCorrections({ uai: entry.uai, batchId: entry.batchId });
    const first = list[0];
    if (!first) continue;
    const same = list.every((c) => c.state === first.state);
    r.correction = {
      state: same ? first.state : 'mixed',
      label: same
        ? STATE_LABELS[first.state]
        : [...new Set(list.map((c) => c.state))]
            .map((s) => `${list.filter((c) => c.state === s).length} ${STATE_SHORT[s]}`)
            .join(', '),
      undoable: list.some((c) => OPEN_STATES.includes(c.state)),
    };
  }
}
