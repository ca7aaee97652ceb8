/**
 * The audit journal of the PRONOTE copy: every write appends, in its own transaction, one entry per record
 * it changed (who, when, session, step, before, after), which undo and the corrections read back. Both
 * adapters (`sqlite/audit.ts`, `pg/audit.ts`) keep it in the same columns, mapped by `toEntry`.
 */
import { randomUUID } from 'node:crypto';

export type AuditAction =
  | 'set-identity'
  | 'set-cas-id'
  | 'clear-cas-ids'
  | 'set-espace-parents'
  | 'unpublish-base'
  | 'publish-espace'
  | 'publish-base'
  | 'set-identification-mode'
  | 'undo';

/** A field's value as the audit keeps it: text, a flag, or nothing. */
export type FieldValue = string | boolean | null;

/** One record changed by one write. A write touching several records shares one `batchId`. */
export interface AuditEntry {
  id: string;
  batchId: string;
  /** ISO 8601. */
  at: string;
  actor: string;
  sessionId: string | null;
  step: string | null;
  uai: string;
  action: AuditAction;
  /** The account changed, or null for the school's publication or settings. */
  accountId: string | null;
  /** Only the fields that changed. */
  before: Record<string, FieldValue>;
  after: Record<string, FieldValue>;
  /** The record's version once this entry was written: undo requires it still to be current. */
  version: number;
  /** For an undo: the batch it reverted. */
  undoOf: string | null;
}

export interface AuditQuery {
  uai?: string;
  sessionId?: string;
  limit: number;
  /** An entry id: list only the entries written before it (the next page). */
  before?: string;
}

/** What a write hands to the journal; the journal adds the id and the time. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditRow {
  seq: number;
  id: string;
  batch_id: string;
  at: string;
  actor: string;
  session_id: string | null;
  step: string | null;
  uai: string;
  action: AuditAction;
  account_id: string | null;
  before_json: string;
  after_json: string;
  version: number;
  undo_of: string | null;
}

export const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  batchId: r.batch_id,
  at: r.at,
  actor: r.actor,
  sessionId: r.session_id,
  step: r.step,
  uai: r.uai,
  action: r.action,
  accountId: r.account_id,
  before: JSON.parse(r.before_json) as Record<string, FieldValue>,
  after: JSON.parse(r.after_json) as Record<string, FieldValue>,
  version: r.version,
  undoOf: r.undo_of,
});

export const newBatchId = (): string => randomUUID();
