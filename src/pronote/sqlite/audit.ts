import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrate } from '../../store/sqlite/migrate.js';
import { whereGiven } from '../../store/sqlite/where.js';
import { type AuditEntry, type AuditQuery, type AuditRow, type NewAuditEntry, toEntry } from '../audit.js';

const MIGRATIONS = [
  // `seq` orders the journal; `id` is what links and tickets carry, so it reveals nothing about volume.
  `CREATE TABLE audit_entries (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     batch_id TEXT NOT NULL,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     session_id TEXT,
     step TEXT,
     uai TEXT NOT NULL,
     action TEXT NOT NULL,
     account_id TEXT,
     before_json TEXT NOT NULL,
     after_json TEXT NOT NULL,
     version INTEGER NOT NULL,
     undo_of TEXT
   );
   CREATE INDEX audit_entries_batch ON audit_entries (batch_id);
   CREATE INDEX audit_entries_uai ON audit_entries (uai, seq);
   CREATE INDEX audit_entries_session ON audit_entries (session_id, seq);
   CREATE INDEX audit_entries_undo_of ON audit_entries (undo_of);`,
];

/**
 * The audit journal. It never opens a transaction of its own: the adapter that changes a record appends
 * the entry inside the transaction of the change, so a change and its entry exist together or not at all.
 */
export interface AuditLog {
  append(entries: NewAuditEntry[]): AuditEntry[];
  get(id: string): AuditEntry | null;
  /** The entry with this id alone, or every entry of the batch with this id, oldest first. */
  entriesOf(auditIdOrBatchId: string): AuditEntry[];
  /** True when an undo of this batch has been written. */
  isUndone(batchId: string): boolean;
  list(query: AuditQuery): AuditEntry[];
}

export function sqliteAuditLog(db: Database): AuditLog {
  migrate(db, 'audit', MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO audit_entries (id, batch_id, at, actor, session_id, step, uai, action, account_id, before_json, after_json, version, undo_of)
     VALUES (@id, @batchId, @at, @actor, @sessionId, @step, @uai, @action, @accountId, @before, @after, @version, @undoOf)`,
  );
  const byId = db.prepare<[string], AuditRow>('SELECT * FROM audit_entries WHERE id = ?');
  const byBatch = db.prepare<[string], AuditRow>(
    'SELECT * FROM audit_entries WHERE batch_id = ? ORDER BY seq',
  );
  const undoneBy = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM audit_entries WHERE undo_of = ?',
  );

  return {
    append: (entries) => {
      const at = new Date().toISOString();
      return entries.map((e) => {
        const entry: AuditEntry = { ...e, id: randomUUID(), at };
        insert.run({ ...entry, before: JSON.stringify(e.before), after: JSON.stringify(e.after) });
        return entry;
      });
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toEntry(row) : null;
    },
    entriesOf: (idOrBatch) => {
      const one = byId.get(idOrBatch);
      return one ? [toEntry(one)] : byBatch.all(idOrBatch).map(toEntry);
    },
    isUndone: (batchId) => (undoneBy.get(batchId)?.n ?? 0) > 0,
    list: ({ uai, sessionId, limit, before }) => {
      const where = whereGiven([
        ['uai = ?', uai],
        ['session_id = ?', sessionId],
        ['seq < (SELECT seq FROM audit_entries WHERE id = ?)', before],
      ]);
      return db
        .prepare<(string | number)[], AuditRow>(
          `SELECT * FROM audit_entries ${where.sql} ORDER BY seq DESC LIMIT ?`,
        )
        .all(...where.params, Math.max(0, Math.trunc(limit)))
        .map(toEntry);
    },
  };
}
