import { ERASED } from '../store/retention.js';
import type { AuditAction, AuditEntry, FieldValue } from './audit.js';
import { PronoteError } from './errors.js';
import type { NewAccount, Profile, PronoteAccount } from './model.js';
import { dateKey, foldText } from './normalise.js';

/**
 * Corrections: what a fix prepared on the assistant's copy asks someone to do in PRONOTE itself, which
 * has no write interface. The copy takes the new value at once (so the flows and the comparison see the
 * person as they will be); the correction keeps the value as imported and follows the change until an
 * import of the school's exports shows it in PRONOTE:
 *
 *   pending (prepared here) → applied (the agent says it is done in PRONOTE) → verified (an import shows
 *   the new value) or contradicted (an import shows another value, or no longer lists the person);
 *   pending or applied → undone (the fix was undone here).
 */

export const CORRECTION_STATES = ['pending', 'applied', 'verified', 'contradicted', 'undone'] as const;
export type CorrectionState = (typeof CORRECTION_STATES)[number];

/** States an import still has to settle. */
export const OPEN_STATES: readonly CorrectionState[] = ['pending', 'applied'];

export const CORRECTION_KINDS = [
  'identity',
  'cas-id',
  'clear-cas-id',
  'espace-parents',
  'publish-espace',
] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

export interface CorrectionChange {
  /** An account field (`nom`, `casId`…) or a console one (`basePublished`, `espaces.parents`). */
  field: string;
  /** As PRONOTE had it at the last import. */
  before: FieldValue;
  /** As it will be once done in PRONOTE. */
  after: FieldValue;
}

/** Who the correction is about, as PRONOTE knows them before it is done: what finds them in its lists. */
export interface CorrectionPerson {
  profile: Profile;
  nom: string;
  prenom: string;
  dateNaissance: string | null;
  pronoteEntId: string | null;
}

export interface Correction {
  id: string;
  uai: string;
  /** The audit batch of the fix: a fix on several people is one batch, one checklist. */
  batchId: string;
  kind: CorrectionKind;
  state: CorrectionState;
  /** The account in the copy; null for the school's PRONOTE.net console. */
  accountId: string | null;
  person: CorrectionPerson | null;
  changes: CorrectionChange[];
  /** ISO 8601, when the fix was prepared. */
  at: string;
  by: string;
  sessionId: string | null;
  step: string | null;
  appliedAt: string | null;
  appliedBy: string | null;
  /** When an import verified or contradicted it, or when it was undone. */
  settledAt: string | null;
  settledBy: string | null;
  /** For a contradicted correction: the values the import showed (null when the person was absent). */
  seen: Record<string, FieldValue> | null;
}

export type NewCorrection = Omit<
  Correction,
  'id' | 'state' | 'appliedAt' | 'appliedBy' | 'settledAt' | 'settledBy' | 'seen'
>;

export interface CorrectionQuery {
  uai: string;
  states?: readonly CorrectionState[];
  batchId?: string;
  accountId?: string;
  kind?: CorrectionKind;
  limit?: number;
}

/** What an import found for one open correction. */
export interface CorrectionOutcome {
  id: string;
  state: 'verified' | 'contradicted';
  /** The values the import showed for the changed fields; null when the person is no longer listed. */
  seen: Record<string, FieldValue> | null;
}

const KIND_OF: Partial<Record<AuditAction, CorrectionKind>> = {
  'set-identity': 'identity',
  'set-cas-id': 'cas-id',
  'clear-cas-ids': 'clear-cas-id',
  'set-espace-parents': 'espace-parents',
  'unpublish-base': 'publish-espace',
  'publish-espace': 'publish-espace',
  'publish-base': 'publish-espace',
};

/**
 * The corrections a write's audit entries ask for: one per record of the batch, with the net change of
 * each field (the console's unpublish and publish again of the base cancel out). Undo entries ask for none.
 */
export function correctionsOf(
  entries: readonly AuditEntry[],
  personOf: (accountId: string, before: Record<string, FieldValue>) => CorrectionPerson | null,
): NewCorrection[] {
  const byRecord = new Map<
    string,
    { first: AuditEntry; kind: CorrectionKind; changes: CorrectionChange[] }
  >();
  for (const e of entries) {
    const kind = KIND_OF[e.action];
    if (!kind) continue;
    const key = `${e.batchId}|${e.accountId ?? ''}`;
    const record = byRecord.get(key) ?? { first: e, kind, changes: [] };
    for (const [field, after] of Object.entries(e.after)) {
      const known = record.changes.find((c) => c.field === field);
      if (known) known.after = after;
      else record.changes.push({ field, before: e.before[field] ?? null, after });
    }
    byRecord.set(key, record);
  }
  return [...byRecord.values()].flatMap(({ first, kind, changes }) => {
    const net = changes.filter((c) => c.before !== c.after);
    if (net.length === 0) return [];
    const before = Object.fromEntries(net.map((c) => [c.field, c.before]));
    return [
      {
        uai: first.uai,
        batchId: first.batchId,
        kind,
        accountId: first.accountId,
        person: first.accountId === null ? null : personOf(first.accountId, before),
        changes: net,
        at: first.at,
        by: first.actor,
        sessionId: first.sessionId,
        step: first.step,
      },
    ];
  });
}

/** The person as PRONOTE still knows them: the copy's values with the changed ones put back. */
export function personAsImported(
  account: Pick<PronoteAccount, 'profile' | 'nom' | 'prenom' | 'dateNaissance' | 'pronoteEntId'>,
  before: Record<string, FieldValue>,
): CorrectionPerson {
  const text = (field: 'nom' | 'prenom', fallback: string) =>
    typeof before[field] === 'string' ? (before[field] as string) : fallback;
  return {
    profile: account.profile,
    nom: text('nom', account.nom),
    prenom: text('prenom', account.prenom),
    dateNaissance:
      'dateNaissance' in before ? ((before.dateNaissance as string | null) ?? null) : account.dateNaissance,
    pronoteEntId: account.pronoteEntId,
  };
}

/** Two values PRONOTE treats as the same: names without case or accents, logins without case. */
function sameValue(field: string, a: FieldValue, b: FieldValue): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  if (field === 'nom' || field === 'prenom') return foldText(a) === foldText(b);
  if (field === 'dateNaissance') return (dateKey(a) ?? a) === (dateKey(b) ?? b);
  if (field === 'casId') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

const fieldOf = (a: NewAccount, field: string): FieldValue | undefined =>
  field in a ? ((a as unknown as Record<string, FieldValue>)[field] ?? null) : undefined;

const sameIdentity = (a: NewAccount, values: Record<string, FieldValue>, person: CorrectionPerson) =>
  a.profile === person.profile &&
  sameValue('nom', a.nom, (values.nom as string | undefined) ?? person.nom) &&
  sameValue('prenom', a.prenom, (values.prenom as string | undefined) ?? person.prenom) &&
  sameValue(
    'dateNaissance',
    a.dateNaissance,
    'dateNaissance' in values ? (values.dateNaissance ?? null) : person.dateNaissance,
  );

/**
 * What a new import of the school says of each open correction: verified when the person is listed with
 * every new value, contradicted when listed with another value or not listed at all. The console's state
 * is in no export: those corrections stay open. An import without the « Esp. par. » column leaves an
 * Espace Parents correction open too.
 */
export function verifyCorrections(
  open: readonly Correction[],
  accounts: readonly NewAccount[],
): CorrectionOutcome[] {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const outcomes: CorrectionOutcome[] = [];
  for (const c of open) {
    if (c.accountId === null || !OPEN_STATES.includes(c.state)) continue;
    const after = Object.fromEntries(c.changes.map((ch) => [ch.field, ch.after]));
    // An identity fix may move the person's id (the import derives it from the identity when PRONOTE
    // gives no PRONOTE-ENT code): look for them under the new identity, then the old one.
    const person = c.person;
    const found =
      byId.get(c.accountId) ??
      (person && c.kind === 'identity'
        ? (accounts.find((a) => sameIdentity(a, after, person)) ??
          accounts.find((a) => sameIdentity(a, {}, person)))
        : undefined);
    if (!found) {
      outcomes.push({ id: c.id, state: 'contradicted', seen: null });
      continue;
    }
    const seen = Object.fromEntries(c.changes.map((ch) => [ch.field, fieldOf(found, ch.field) ?? null]));
    if (c.changes.some((ch) => ch.field === 'espaceParents') && found.espaceParents === null) continue;
    const verified = c.changes.every((ch) => sameValue(ch.field, seen[ch.field] ?? null, ch.after));
    outcomes.push({ id: c.id, state: verified ? 'verified' : 'contradicted', seen: verified ? null : seen });
  }
  return outcomes;
}

export class CorrectionNotFoundError extends PronoteError {
  constructor(readonly correctionId: string) {
    super('Cette correction est introuvable.');
  }
}

const frenchDay = (iso: string | null) => {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
};

/** A correction that cannot move as asked from the state it is in; the message says where it stands. */
export class CorrectionStateError extends PronoteError {
  constructor(
    readonly correction: Pick<Correction, 'id' | 'state' | 'appliedAt' | 'appliedBy' | 'settledAt'>,
    readonly wanted: 'applied' | 'undone',
  ) {
    super(stateMessage(correction, wanted));
  }
}

function stateMessage(
  c: Pick<Correction, 'state' | 'appliedAt' | 'appliedBy' | 'settledAt'>,
  wanted: 'applied' | 'undone',
): string {
  const settled = frenchDay(c.settledAt);
  switch (c.state) {
    case 'applied':
      return `Cette correction est déjà marquée faite dans PRONOTE (le ${frenchDay(c.appliedAt)}, par ${c.appliedBy ?? '?'}). Rien n’a changé.`;
    case 'verified':
      return wanted === 'undone'
        ? `Cette correction a été vérifiée par l’import du ${settled} : PRONOTE a cette valeur. L’annuler ici ne changerait rien dans PRONOTE ; pour revenir en arrière, préparez une nouvelle correction depuis le parcours.`
        : `Cette correction a déjà été vérifiée par l’import du ${settled} : rien à faire.`;
    case 'contradicted':
      return wanted === 'undone'
        ? `L’import du ${settled} montre une autre valeur dans PRONOTE : la copie a déjà repris ce que PRONOTE contient, il n’y a rien à annuler.`
        : `L’import du ${settled} montre une autre valeur dans PRONOTE : refaites la correction depuis le parcours, elle sera de nouveau à faire.`;
    case 'undone':
      return 'Cette correction a été annulée : il n’y a plus rien à faire dans PRONOTE pour elle.';
    default:
      return 'Cette correction est encore à faire dans PRONOTE.';
  }
}

/** Only a correction still to do can be marked done in PRONOTE. */
export function ensureCanMarkApplied(c: Correction): void {
  if (c.state !== 'pending') throw new CorrectionStateError(c, 'applied');
}

/** An import has settled it, or it was undone already: the copy's undo would no longer mean anything. */
export function ensureCanUndo(corrections: readonly Correction[]): void {
  const closed = corrections.find((c) => c.state === 'verified' || c.state === 'contradicted');
  if (closed) throw new CorrectionStateError(closed, 'undone');
}

/** A fix older than the journal's retention period lost the names it wrote: there is nothing left to put back. */
export class ErasedEntryError extends PronoteError {
  constructor() {
    super(
      'Cette correction est trop ancienne pour être annulée : les noms et identifiants du journal ont été effacés (durée de conservation).',
    );
  }
}

/** Refuses an undo whose journal entries were erased by the retention purge. */
export function ensureNotErased(entries: readonly AuditEntry[]): void {
  const erased = (values: Record<string, unknown>) => Object.values(values).includes(ERASED);
  if (entries.some((e) => erased(e.before) || erased(e.after))) throw new ErasedEntryError();
}
