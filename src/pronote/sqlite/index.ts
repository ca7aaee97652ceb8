import type { Database } from 'better-sqlite3';
import { promised, type Synchronous } from '../../store/sqlite/promised.js';
import type { PronoteLoader, PronotePort } from '../port.js';
import { sqliteAuditLog } from './audit.js';
import { sqliteCorrections } from './corrections.js';
import { sqliteLoader } from './load.js';
import { sqliteReads } from './reads.js';
import { migratePronote } from './schema.js';
import { sqliteSettings } from './settings.js';
import { sqliteUndo } from './undo.js';
import { sqliteWrites } from './writes.js';

/**
 * The PRONOTE port on the embedded SQLite base: the schools' accounts beside the sessions and the audit
 * journal, so that a fix and its audit entry share one transaction.
 *
 * @example
 * const pronote = sqlitePronote(openDatabase('./data'));
 * await pronote.findByCasId('0130001A', 'florence.gervais');
 */
export function sqlitePronote(db: Database): PronotePort & PronoteLoader {
  migratePronote(db);
  const audit = sqliteAuditLog(db);
  // Writes go through the corrections' journal: each fix's audit entries record its corrections.
  const corrections = sqliteCorrections(db, audit);
  const sync: Synchronous<PronotePort & PronoteLoader> = {
    ...sqliteReads(db),
    ...sqliteWrites(db, corrections.journal),
    ...sqliteSettings(db, corrections.journal),
    ...sqliteLoader(db),
    ...corrections.methods,
    undo: sqliteUndo(db, corrections.journal, corrections.ensureUndoable),
    listAudit: (query) => audit.list(query),
    getAuditEntry: (id) => audit.get(id),
    getAuditBatch: (id) => {
      const entry = audit.get(id);
      return audit.entriesOf(entry ? entry.batchId : id);
    },
  };
  return promised<PronotePort & PronoteLoader>(sync);
}
