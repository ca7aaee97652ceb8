import { randomUUID } from 'node:crypto';
import { migratePg, type PgPool, type PgQueryable } from '../../store/pg/pool.js';
import { type AuditEntry, type AuditQuery, type AuditRow, type NewAuditEntry, toEntry } from '../audit.js';

// The columns of SQLite's journal: `at` stays ISO text compared byte by byte (COLLATE "C"), and the fields
// stay JSON text, as written (jsonb would reorder them).
const MIGRATIONS = [
  `CREATE TABLE audit_entries (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     batch_id TEXT NOT NULL,
     at TEXT COLLATE "C" NOT NULL,
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
   CREATE INDEX audit_entries_batch ON audit_entries (batch_id, seq);
   CREATE INDEX audit_entries_uai ON audit_entries (uai, seq);
   CREATE INDEX audit_entries_session ON audit_entries (session_id, seq);
   CREATE INDEX audit_entries_undo_of ON audit_entries (undo_of);`,
];

/**
 * The audit journal on PostgreSQL. Like the SQLite one it opens no transaction: each method runs on the
 * client it is given, so a write appends its entries inside the transaction of its change.
 */
export interface PgAuditLog {
  append(q: PgQueryable, entries: NewAuditEntry[]): Promise<AuditEntry[]>;
  get(q: PgQueryable, id: string): Promise<AuditEntry | null>;
  /** The entry with this id alone, or every entry of the batch with this id, oldest first. */
  entriesOf(q: PgQueryable, auditIdOrBatchId: string): Promise<AuditEntry[]>;
  /** True when an undo of this batch has been written. */
  isUndone(q: PgQueryable, batchId: string): Promise<boolean>;
  list(q: PgQueryable, query: AuditQuery): Promise<AuditEntry[]>;
}

export async function pgAuditLog(pool: PgPool): Promise<PgAuditLog> {
  await migratePg(pool, 'audit', MIGRATIONS);

  const get = async (q: PgQueryable, id: string) => {
    const { rows } = await q.query<AuditRow>('SELECT * FROM audit_entries WHERE id = $1', [id]);
    return rows[0] ? toEntry(rows[0]) : null;
  };

  return {
    // One statement for the whole batch: a reconciliation writes thousands of entries at once.
    append: async (q, entries) => {
      if (entries.length === 0) return [];
      const at = new Date().toISOString();
      const written = entries.map((e): AuditEntry => ({ ...e, id: randomUUID(), at }));
      const column = <T>(pick: (e: AuditEntry) => T) => written.map(pick);
      await q.query(
        // Entries keep their order in `seq`: the rows are inserted in the order of the batch.
        `INSERT INTO audit_entries (id, batch_id, at, actor, session_id, step, uai, action, account_id,
           before_json, after_json, version, undo_of)
         SELECT id, batch_id, at, actor, session_id, step, uai, action, account_id, before_json, after_json,
           version, undo_of
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::text[], $9::text[], $10::text[], $11::text[], $12::int[], $13::text[]) WITH ORDINALITY
           AS e(id, batch_id, at, actor, session_id, step, uai, action, account_id, before_json, after_json,
             version, undo_of, n)
         ORDER BY n`,
        [
          column((e) => e.id),
          column((e) => e.batchId),
          column((e) => e.at),
          column((e) => e.actor),
          column((e) => e.sessionId),
          column((e) => e.step),
          column((e) => e.uai),
          column((e) => e.action),
          column((e) => e.accountId),
          column((e) => JSON.stringify(e.before)),
          column((e) => JSON.stringify(e.after)),
          column((e) => e.version),
          column((e) => e.undoOf),
        ],
      );
      return written;
    },
    get,
    entriesOf: async (q, idOrBatch) => {
      const one = await get(q, idOrBatch);
      if (one) return [one];
      const { rows } = await q.query<AuditRow>(
        'SELECT * FROM audit_entries WHERE batch_id = $1 ORDER BY seq',
        [idOrBatch],
      );
      return rows.map(toEntry);
    },
    isUndone: async (q, batchId) => {
      const { rows } = await q.query('SELECT 1 FROM audit_entries WHERE undo_of = $1 LIMIT 1', [batchId]);
      return rows.length > 0;
    },
    list: async (q, { uai, sessionId, limit, before }) => {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const param = (value: string | number) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (uai !== undefined) where.push(`uai = ${param(uai)}`);
      if (sessionId !== undefined) where.push(`session_id = ${param(sessionId)}`);
      if (before !== undefined)
        where.push(`seq < (SELECT seq FROM audit_entries WHERE id = ${param(before)})`);
      const sql = `SELECT * FROM audit_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY seq DESC LIMIT ${param(Math.max(0, Math.trunc(limit)))}`;
      const { rows } = await q.query<AuditRow>(sql, params);
      return rows.map(toEntry);
    },
  };
}
