import {
  type AuditAction,
  type AuditEntry,
  type FieldValue,
  type NewAuditEntry,
  newBatchId,
} from './audit.js';
import { NotAResponsableError } from './errors.js';
import { ESPACES, type Espace, type PronoteAccount, type Publication } from './model.js';
import type { PublishStep, WriteContext } from './port.js';
import { IDENTIFICATION_MODE_FIELD, isIdentificationMode, type SchoolSettings } from './school-settings.js';

/**
 * What a write changes and what its audit keeps, decided the same way by every adapter: only the storage
 * around these rules differs between SQLite and PostgreSQL.
 */

/** The fields a fix may change, and their columns (the same in every adapter's schema). */
export const ACCOUNT_COLUMNS = {
  nom: 'nom',
  prenom: 'prenom',
  dateNaissance: 'date_naissance',
  casId: 'cas_id',
  espaceParents: 'espace_parents',
} as const;
export type AccountField = keyof typeof ACCOUNT_COLUMNS;
export type AccountPatch = Partial<Record<AccountField, FieldValue>>;

export const isAccountField = (f: string): f is AccountField => Object.hasOwn(ACCOUNT_COLUMNS, f);

export interface AccountChange {
  id: string;
  expectedVersion: number;
  patch: AccountPatch;
}

/** What PRONOTE.net opens by default: the espaces every school uses. */
export const DEFAULT_ESPACES: Partial<Record<Espace, boolean>> = {
  eleves: true,
  parents: true,
  professeurs: true,
  'vie-scolaire': true,
  direction: true,
};

/** Only the fields whose value changes, before and after: what the audit keeps and the views show. */
export function diff(current: Record<string, FieldValue>, patch: Record<string, FieldValue>) {
  const before: Record<string, FieldValue> = {};
  const after: Record<string, FieldValue> = {};
  for (const [field, value] of Object.entries(patch)) {
    if ((current[field] ?? null) === value) continue;
    before[field] = current[field] ?? null;
    after[field] = value;
  }
  return { before, after, changed: Object.keys(after).length > 0 };
}

export const editableFields = (a: PronoteAccount): Record<AccountField, FieldValue> => ({
  nom: a.nom,
  prenom: a.prenom,
  dateNaissance: a.dateNaissance,
  casId: a.casId,
  espaceParents: a.espaceParents,
});

/** What one account's change comes to, decided before anything is written. */
export type AccountPlan =
  | { kind: 'stale' }
  | { kind: 'unchanged' }
  | { kind: 'write'; before: Record<string, FieldValue>; after: Record<string, FieldValue> };

/** Refuses « Esp. par. » on anyone but a responsable; a moved version is stale; an equal value is no change. */
export function planAccountChange(current: PronoteAccount, change: AccountChange): AccountPlan {
  if ('espaceParents' in change.patch && current.profile !== 'responsable')
    throw new NotAResponsableError(current);
  if (current.version !== change.expectedVersion) return { kind: 'stale' };
  const { before, after, changed } = diff(editableFields(current), change.patch);
  return changed ? { kind: 'write', before, after } : { kind: 'unchanged' };
}

/** The batch a write belongs to: one id, one author, one action. */
export interface WriteBatch {
  batchId: string;
  ctx: WriteContext;
  uai: string;
  action: AuditAction;
  undoOf: string | null;
}

/** The audit entry of one record written in a batch: an account, or the school's publication (null). */
export const auditEntry = (
  batch: WriteBatch,
  accountId: string | null,
  plan: { before: Record<string, FieldValue>; after: Record<string, FieldValue> },
  version: number,
): NewAuditEntry => ({
  batchId: batch.batchId,
  actor: batch.ctx.actor,
  sessionId: batch.ctx.sessionId ?? null,
  step: batch.ctx.step ?? null,
  uai: batch.uai,
  action: batch.action,
  accountId,
  before: plan.before,
  after: plan.after,
  version,
  undoOf: batch.undoOf,
});

/** One audited step of `publishEspace`: the field it moved, from and to. */
export interface PublishChange {
  name: PublishStep['name'];
  field: string;
  before: FieldValue;
  after: FieldValue;
}

/** The FAQ's order: a base must be unpublished while its espaces change, then published again. */
export function publishPlan(
  current: Publication,
  e: Espace,
): { steps: PublishStep[]; changes: PublishChange[] } {
  const steps: PublishStep[] = [
    { name: 'unpublish-base', changed: current.basePublished },
    { name: 'publish-espace', changed: !current.espaces[e] },
    { name: 'publish-base', changed: true },
  ];
  const values: Record<PublishStep['name'], [string, FieldValue, FieldValue]> = {
    'unpublish-base': ['basePublished', true, false],
    'publish-espace': [`espaces.${e}`, current.espaces[e], true],
    'publish-base': ['basePublished', false, true],
  };
  const changes = steps
    .filter((s) => s.changed)
    .map(({ name }) => {
      const [field, before, after] = values[name];
      return { name, field, before, after };
    });
  return { steps, changes };
}

/** What an undo puts back on one record: the value each field had before the batch first touched it. */
export interface Restore {
  accountId: string | null;
  /** The version the batch left the record at: undo requires it to be current still. */
  version: number;
  values: Record<string, FieldValue>;
}

/** The record an entry wrote: an account, the school's settings, or its console. */
const recordOf = (e: AuditEntry) =>
  e.accountId ?? (IDENTIFICATION_MODE_FIELD in e.before ? '#settings' : '#publication');

function restoresOf(entries: AuditEntry[]): Restore[] {
  const byRecord = new Map<string, Restore>();
  for (const e of entries) {
    const key = recordOf(e);
    const r = byRecord.get(key) ?? { accountId: e.accountId, version: e.version, values: {} };
    r.version = Math.max(r.version, e.version);
    for (const [field, value] of Object.entries(e.before)) {
      if (!(field in r.values)) r.values[field] = value;
    }
    byRecord.set(key, r);
  }
  return [...byRecord.values()];
}

/** The account changes that put back the accounts of an undone batch. */
const accountRestores = (restores: Restore[]): AccountChange[] =>
  restores
    .filter((r) => r.accountId !== null)
    .map((r) => ({
      id: r.accountId as string,
      expectedVersion: r.version,
      patch: Object.fromEntries(Object.entries(r.values).filter(([f]) => isAccountField(f))) as AccountPatch,
    }));

/**
 * What undoing these entries (one batch, or one entry of it) writes, as a new batch: the accounts to put
 * back, the console's state when the batch changed it, and the school's settings when it changed them.
 */
export function undoPlan(first: AuditEntry, entries: AuditEntry[]) {
  const restores = restoresOf(entries);
  const isSettings = (r: Restore) => IDENTIFICATION_MODE_FIELD in r.values;
  return {
    uai: first.uai,
    batchId: newBatchId(),
    accounts: accountRestores(restores),
    publication: restores.find((r) => r.accountId === null && !isSettings(r)),
    settings: restores.find((r) => r.accountId === null && isSettings(r)),
  };
}

/** The identification mode an undo writes back, refused (null) when the journal holds no known mode. */
export function settingsRestore(current: SchoolSettings, restore: Restore) {
  const mode = restore.values[IDENTIFICATION_MODE_FIELD];
  if (!isIdentificationMode(mode)) return null;
  const { before, after } = diff(
    { [IDENTIFICATION_MODE_FIELD]: current.identificationMode },
    { [IDENTIFICATION_MODE_FIELD]: mode },
  );
  return { mode, before, after };
}

const espaceOf = (field: string): Espace | null => {
  const name = field.startsWith('espaces.') ? field.slice('espaces.'.length) : '';
  return (ESPACES as readonly string[]).includes(name) ? (name as Espace) : null;
};

/** The console state an undo writes back, and the fields it changes for the audit. */
export function publicationRestore(current: Publication, restore: Restore) {
  const flat: Record<string, FieldValue> = { basePublished: current.basePublished };
  for (const e of ESPACES) flat[`espaces.${e}`] = current.espaces[e];
  const { before, after } = diff(flat, restore.values);
  const espaces: Partial<Record<Espace, boolean>> = {};
  for (const [field, value] of Object.entries(after)) {
    const e = espaceOf(field);
    if (e) espaces[e] = value === true;
  }
  const basePublished = 'basePublished' in after ? after.basePublished === true : current.basePublished;
  return { before, after, basePublished, espaces };
}

/** The audit entries of `publishEspace`: one per step that moved the console, each its own action. */
export const publishEntries = (
  batch: Omit<WriteBatch, 'action' | 'undoOf'>,
  changes: readonly PublishChange[],
  version: number,
): NewAuditEntry[] =>
  changes.map(({ name, field, before, after }) =>
    auditEntry(
      { ...batch, action: name, undoOf: null },
      null,
      { before: { [field]: before }, after: { [field]: after } },
      version,
    ),
  );
