import type { PgClient, PgPool } from '../../store/pg/pool.js';
import type { AuditEntry } from '../audit.js';
import {
  AlreadyUndoneError,
  AuditEntryNotFoundError,
  ConflictError,
  SchoolNotFoundError,
} from '../errors.js';
import type { PronoteAccount, Publication } from '../model.js';
import type { PronotePort, WriteResult } from '../port.js';
import type { SchoolSettings } from '../school-settings.js';
import { auditEntry, publicationRestore, settingsRestore, undoPlan } from '../write-rules.js';
import { writeContextSchema } from '../write-schemas.js';
import type { PgAuditLog } from './audit.js';
import { getPublication, writePublication } from './schema.js';
import { getSettings, writeSettings } from './settings.js';
import { changeAccounts, writeTransaction } from './writes.js';

/** Reverts an entry or a whole batch, all or nothing, if no record it wrote has moved since. */
export function pgUndo(
  pool: PgPool,
  audit: PgAuditLog,
  ensureUndoable: (q: PgClient, entries: readonly AuditEntry[]) => Promise<void>,
): PronotePort['undo'] {
  return async (auditIdOrBatchId, rawCtx) => {
    const ctx = writeContextSchema.parse(rawCtx);
    type Written = WriteResult<PronoteAccount | Publication | SchoolSettings>;
    return writeTransaction(pool, async (client): Promise<Written> => {
      const entries = await audit.entriesOf(client, auditIdOrBatchId);
      const first = entries[0];
      if (!first) throw new AuditEntryNotFoundError(auditIdOrBatchId);
      // Two undos of one batch at once: the second waits here, then finds the first one's entries.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('pronote-undo'), hashtext($1))", [
        first.batchId,
      ]);
      if ((await audit.isUndone(client, auditIdOrBatchId)) || (await audit.isUndone(client, first.batchId))) {
        throw new AlreadyUndoneError(auditIdOrBatchId);
      }
      await ensureUndoable(client, entries);
      const { uai, batchId, accounts, publication, settings } = undoPlan(first, entries);
      const result: Written =
        accounts.length > 0
          ? await changeAccounts(client, audit, uai, 'undo', accounts, ctx, {
              batchId,
              undoOf: auditIdOrBatchId,
            })
          : { batchId, records: [], entries: [] };
      if (publication) {
        const current = await getPublication(client, uai, 'FOR NO KEY UPDATE');
        if (!current) throw new SchoolNotFoundError(uai);
        if (current.version !== publication.version) throw new ConflictError([], current);
        const { before, after, basePublished, espaces } = publicationRestore(current, publication);
        const next = await writePublication(client, uai, basePublished, espaces);
        const written = await audit.append(client, [
          auditEntry(
            { batchId, ctx, uai, action: 'undo', undoOf: auditIdOrBatchId },
            null,
            { before, after },
            next.version,
          ),
        ]);
        result.records.push(next);
        result.entries.push(...written);
      }
      if (settings) {
        const current = await getSettings(client, uai, 'FOR NO KEY UPDATE');
        if (!current) throw new SchoolNotFoundError(uai);
        const back = settingsRestore(current, settings);
        if (current.version !== settings.version || !back) throw new ConflictError([]);
        const next = await writeSettings(client, uai, back.mode);
        const written = await audit.append(client, [
          auditEntry(
            { batchId, ctx, uai, action: 'undo', undoOf: auditIdOrBatchId },
            null,
            back,
            next.version,
          ),
        ]);
        result.records.push(next);
        result.entries.push(...written);
      }
      return result;
    });
  };
}
