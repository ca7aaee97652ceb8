import type { Database } from 'better-sqlite3';
import type { HistoryEntry, SessionStore } from '../session-port.js';
import { type EntryRow, entryColumns, type SessionRow, toEntry, toSession } from '../session-rows.js';
import { migrate } from './migrate.js';
import { promised, type Synchronous } from './promised.js';

const MIGRATIONS = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     audience TEXT NOT NULL CHECK (audience IN ('agent', 'public')),
     uai TEXT,
     owner TEXT,
     head_seq INTEGER NOT NULL
   );
   CREATE TABLE session_entries (
     session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     parent_seq INTEGER,
     at TEXT NOT NULL,
     step TEXT NOT NULL,
     machine_version INTEGER NOT NULL,
     snapshot TEXT NOT NULL,
     event TEXT,
     results TEXT NOT NULL,
     actor TEXT,
     PRIMARY KEY (session_id, seq)
   );`,
];

/** No session has more entries than this: « every entry » as a number. */
const MAX_SEQ = 2 ** 31 - 1;

/** Sessions in the product's SQLite file; each append is one transaction guarded by the head it expects. */
export function sqliteSessionStore(db: Database): SessionStore {
  migrate(db, 'sessions', MIGRATIONS);
  const insertSession = db.prepare(
    'INSERT INTO sessions (id, created_at, updated_at, audience, uai, owner, head_seq) VALUES (?, ?, ?, ?, ?, ?, 1)',
  );
  const insertEntry = db.prepare(
    `INSERT INTO session_entries (session_id, seq, parent_seq, at, step, machine_version, snapshot, event, results, actor)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectSession = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
  const selectEntry = db.prepare<[string, number], EntryRow<string>>(
    'SELECT * FROM session_entries WHERE session_id = ? AND seq = ?',
  );
  // The entries from the first to `seq` through their parents only, and no more than @last of them: a
  // session answered many times over is not read whole to show one step's recent transcript. The chain is
  // computed once, then each of its entries read by key (CROSS JOIN keeps that order): left to itself,
  // SQLite would walk every entry of the session and run the recursion again for each.
  const selectChain = db.prepare<{ id: string; seq: number; last: number }, EntryRow<string>>(
    `WITH RECURSIVE chain (seq, depth) AS MATERIALIZED (
       SELECT @seq, 1
       UNION ALL
       SELECT e.parent_seq, chain.depth + 1 FROM session_entries e JOIN chain ON e.session_id = @id AND e.seq = chain.seq
       WHERE e.parent_seq IS NOT NULL AND chain.depth < @last
     )
     SELECT e.* FROM chain CROSS JOIN session_entries e ON e.session_id = @id AND e.seq = chain.seq ORDER BY e.seq`,
  );
  const maxSeq = db.prepare<[string], { m: number }>(
    'SELECT MAX(seq) AS m FROM session_entries WHERE session_id = ?',
  );
  const moveHead = db.prepare(
    'UPDATE sessions SET head_seq = ?, updated_at = ? WHERE id = ? AND head_seq = ?',
  );
  const countSessions = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sessions');

  const writeEntry = (id: string, seq: number, e: Omit<HistoryEntry, 'seq'>) =>
    insertEntry.run(id, seq, ...entryColumns(e));

  const create = db.transaction(
    (s: Parameters<SessionStore['create']>[0], first: Parameters<SessionStore['create']>[1]) => {
      insertSession.run(s.id, s.createdAt, s.createdAt, s.audience, s.uai, s.owner);
      writeEntry(s.id, 1, { ...first, parentSeq: null });
    },
  );

  const append = db.transaction(
    (id: string, e: Omit<HistoryEntry, 'seq'>, expectedHead: number): number | false => {
      const seq = (maxSeq.get(id)?.m ?? 0) + 1;
      if (moveHead.run(seq, e.at, id, expectedHead).changes !== 1) return false;
      writeEntry(id, seq, e);
      return seq;
    },
  );

  const sync: Synchronous<SessionStore> = {
    // IMMEDIATE: two processes appending to one session serialise on the lock instead of one failing.
    create: (session, first) => create.immediate(session, first),
    get: (id) => {
      const row = selectSession.get(id);
      return row ? toSession(row) : null;
    },
    entry: (id, seq) => {
      const row = selectEntry.get(id, seq);
      return row ? toEntry(row, JSON.parse) : null;
    },
    chain: (id, seq, last = MAX_SEQ) => selectChain.all({ id, seq, last }).map((r) => toEntry(r, JSON.parse)),
    append: (id, entry, expectedHead) => append.immediate(id, entry, expectedHead),
    count: () => countSessions.get()?.n ?? 0,
  };
  return promised<SessionStore>(sync);
}
