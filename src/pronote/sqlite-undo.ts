import type { Database } from 'better-sqlite3';
import { type AuditLog, newBatchId } from '../store/audit.js';
import {
  AlreadyUndoneError,
  type AuditEntry,
  AuditEntryNotFoundError,
  ConflictError,
  ESPACES,
  type Espace,
  type FieldValue,
  type PronoteAccount,
  type Publication,
  SchoolNotFoundError,
  type WriteContext,
  type WriteResult,
} from './port.js';
import { type AccountPatch, isAccountField, publicationRows } from './sqlite-schema.js';
import { auditFields, diff, sqliteAccountChanger } from './sqlite-writes.js';
import { writeContextSchema } from './write-schemas.js';

/** What an undo puts back on one record: the value each field had before the batch first touched it. */
interface Restore {
  accountId: string | null;
  /** The version the batch left the record at: undo requires it to be current still. */
  version: number;
  values: Record<string, FieldValue>;
}

function restoresOf(entries: AuditEntry[]): Restore[] {
  const byRecord = new Map<string, Restore>();
  for (const e of entries) {
    const key = e.accountId ?? '';
    const r = byRecord.get(key) ?? { accountId: e.accountId, version: e.version, values: {} };
    r.version = Math.max(r.version, e.version);
    for (const [field, value] of Object.entries(e.before)) {
      if (!(field in r.values)) r.values[field] = value;
    }
    byRecord.set(key, r);
  }
  return [...byRecord.values()];
}

const espaceOf = (field: string): Espace | null => {
  const name = field.startsWith('espaces.') ? field.slice('espaces.'.length) : '';
  return (ESPACES as readonly string[]).includes(name) ? (name as Espace) : null;
};

export function sqliteUndo(db: Database, audit: AuditLog) {
  const change = sqliteAccountChanger(db, audit);
  const publications = publicationRows(db);

  const undoPublication = (
    uai: string,
    restore: Restore,
    batchId: string,
    undoOf: string,
    ctx: WriteContext,
  ): WriteResult<Publication> => {
    const current = publications.get(uai);
    if (!current) throw new SchoolNotFoundError(uai);
    if (current.version !== restore.version) throw new ConflictError([], current);
    const flat: Record<string, FieldValue> = { basePublished: current.basePublished };
    for (const e of ESPACES) flat[`espaces.${e}`] = current.espaces[e];
    const { before, after } = diff(flat, restore.values);
    const espaces: Partial<Record<Espace, boolean>> = {};
    for (const [field, value] of Object.entries(after)) {
      const e = espaceOf(field);
      if (e) espaces[e] = value === true;
    }
    const base = 'basePublished' in after ? after.basePublished === true : current.basePublished;
    const next = publications.write(uai, base, espaces);
    const entries = audit.append([
      {
        batchId,
        ...auditFields(ctx),
        uai,
        action: 'undo',
        accountId: null,
        before,
        after,
        version: next.version,
        undoOf,
      },
    ]);
    return { batchId, records: [next], entries };
  };

  const run = db.transaction(
    (auditIdOrBatchId: string, ctx: WriteContext): WriteResult<PronoteAccount | Publication> => {
      const entries = audit.entriesOf(auditIdOrBatchId);
      const first = entries[0];
      if (!first) throw new AuditEntryNotFoundError(auditIdOrBatchId);
      if (audit.isUndone(auditIdOrBatchId) || audit.isUndone(first.batchId)) {
        throw new AlreadyUndoneError(auditIdOrBatchId);
      }
      const { uai } = first;
      const batchId = newBatchId();
      const restores = restoresOf(entries);
      const accounts = restores.filter((r) => r.accountId !== null);
      const result: WriteResult<PronoteAccount | Publication> =
        accounts.length > 0
          ? change(
              uai,
              'undo',
              accounts.map((r) => ({
                id: r.accountId as string,
                expectedVersion: r.version,
                patch: Object.fromEntries(
                  Object.entries(r.values).filter(([f]) => isAccountField(f)),
                ) as AccountPatch,
              })),
              ctx,
              { batchId, undoOf: auditIdOrBatchId },
            )
          : { batchId, records: [], entries: [] };
      const publication = restores.find((r) => r.accountId === null);
      if (publication) {
        const done = undoPublication(uai, publication, batchId, auditIdOrBatchId, ctx);
        result.records.push(...done.records);
        result.entries.push(...done.entries);
      }
      return result;
    },
  );

  /** Reverts an entry or a whole batch, all or nothing, if no record it wrote has moved since. */
  return (auditIdOrBatchId: string, ctx: WriteContext) =>
    run.immediate(auditIdOrBatchId, writeContextSchema.parse(ctx));
}
