import type { Database } from 'better-sqlite3';
import type { AuditEntry } from '../audit.js';
import {
  AlreadyUndoneError,
  AuditEntryNotFoundError,
  ConflictError,
  SchoolNotFoundError,
} from '../errors.js';
import type { PronoteAccount, Publication } from '../model.js';
import type { WriteContext, WriteResult } from '../port.js';
import type { SchoolSettings } from '../school-settings.js';
import { auditEntry, publicationRestore, type Restore, settingsRestore, undoPlan } from '../write-rules.js';
import { writeContextSchema } from '../write-schemas.js';
import type { AuditLog } from './audit.js';
import { publicationRows } from './schema.js';
import { settingsRows } from './settings.js';
import { sqliteAccountChanger } from './writes.js';

export function sqliteUndo(
  db: Database,
  audit: AuditLog,
  ensureUndoable: (entries: readonly AuditEntry[]) => void,
) {
  const change = sqliteAccountChanger(db, audit);
  const publications = publicationRows(db);
  const settings = settingsRows(db);

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
    const { before, after, basePublished, espaces } = publicationRestore(current, restore);
    const next = publications.write(uai, basePublished, espaces);
    const entries = audit.append([
      auditEntry({ batchId, ctx, uai, action: 'undo', undoOf }, null, { before, after }, next.version),
    ]);
    return { batchId, records: [next], entries };
  };

  const undoSettings = (
    uai: string,
    restore: Restore,
    batchId: string,
    undoOf: string,
    ctx: WriteContext,
  ): WriteResult<SchoolSettings> => {
    const current = settings.get(uai);
    if (!current) throw new SchoolNotFoundError(uai);
    const back = settingsRestore(current, restore);
    if (current.version !== restore.version || !back) throw new ConflictError([]);
    const next = settings.write(uai, back.mode);
    const entries = audit.append([
      auditEntry({ batchId, ctx, uai, action: 'undo', undoOf }, null, back, next.version),
    ]);
    return { batchId, records: [next], entries };
  };

  const run = db.transaction(
    (
      auditIdOrBatchId: string,
      ctx: WriteContext,
    ): WriteResult<PronoteAccount | Publication | SchoolSettings> => {
      const entries = audit.entriesOf(auditIdOrBatchId);
      const first = entries[0];
      if (!first) throw new AuditEntryNotFoundError(auditIdOrBatchId);
      if (audit.isUndone(auditIdOrBatchId) || audit.isUndone(first.batchId)) {
        throw new AlreadyUndoneError(auditIdOrBatchId);
      }
      ensureUndoable(entries);
      const { uai, batchId, accounts, publication, settings: mode } = undoPlan(first, entries);
      const result: WriteResult<PronoteAccount | Publication | SchoolSettings> =
        accounts.length > 0
          ? change(uai, 'undo', accounts, ctx, { batchId, undoOf: auditIdOrBatchId })
          : { batchId, records: [], entries: [] };
      if (publication) {
        const done = undoPublication(uai, publication, batchId, auditIdOrBatchId, ctx);
        result.records.push(...done.records);
        result.entries.push(...done.entries);
      }
      if (mode) {
        const done = undoSettings(uai, mode, batchId, auditIdOrBatchId, ctx);
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
