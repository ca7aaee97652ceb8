import type { SessionStore } from '../session-port.js';
import { type EntryRow, entryColumns, type SessionRow, toEntry, toSession } from '../session-rows.js';
import { migratePg, type PgPool } from './pool.js';

// Instants stay ISO text, as in SQLite, so they come back exactly as written; COLLATE "C" compares them
// byte by byte, as SQLite does. Snapshots, events and results are `json` (not `jsonb`), which keeps the
// text as written: the same key order comes back.
const MIGRATIONS = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     created_at TEXT COLLATE "C" NOT NULL,
     updated_at TEXT COLLATE "C" NOT NULL,
     audience TEXT NOT NULL CHECK (audience IN ('agent', 'public')),
     uai TEXT,
     owner TEXT,
     head_seq INTEGER NOT NULL
   );
   CREATE INDEX sessions_created ON sessions (created_at);
   CREATE TABLE session_entries (
     session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     parent_seq INTEGER,
     at TEXT COLLATE "C" NOT NULL,
     step TEXT NOT NULL,
     machine_version INTEGER NOT NULL,
     snapshot JSON NOT NULL,
     event JSON,
     results JSON NOT NULL,
     actor TEXT,
     PRIMARY KEY (session_id, seq)
   );`,
];

/**
 * Sessions in PostgreSQL, shared by several instances. The statements of an answer are named, so each
 * connection prepares them once. An append locks its session's row, so two answers
 * to the same step, from any instances, are taken one after the other and the second finds the head moved.
 */
/** No session has more entries than this: « every entry » as a number. */
const MAX_SEQ = 2 ** 31 - 1;

/** `json` columns come back parsed by the driver. */
const fromJson = (r: EntryRow<unknown>) => toEntry(r, (value) => value);

export async function pgSessionStore(pool: PgPool): Promise<SessionStore> {
  await migratePg(pool, 'sessions', MIGRATIONS);

  // Both writes below bind an entry's `entryColumns` as $2 to $9.
  const entryNames = `(session_id, seq, parent_seq, at, step, machine_version, snapshot, event, results, actor)`;
  const entryParams = '$2::integer, $3::text, $4::text, $5::integer, $6::json, $7::json, $8::json, $9::text';

  return {
    create: async (s, first) => {
      // One statement: the session and its first entry exist together or not at all.
      await pool.query({
        name: 'sessions-create',
        text: `WITH session AS (
           INSERT INTO sessions (id, created_at, updated_at, audience, uai, owner, head_seq)
           VALUES ($1, $10, $10, $11, $12, $13, 1)
           RETURNING id
         )
         INSERT INTO session_entries ${entryNames}
         SELECT session.id, 1, ${entryParams} FROM session`,
        values: [
          s.id,
          ...entryColumns({ ...first, parentSeq: null }),
          s.createdAt,
          s.audience,
          s.uai,
          s.owner,
        ],
      });
    },
    get: async (id) => {
      const { rows } = await pool.query<SessionRow>({
        name: 'sessions-get',
        text: 'SELECT * FROM sessions WHERE id = $1',
        values: [id],
      });
      return rows[0] ? toSession(rows[0]) : null;
    },
    entry: async (id, seq) => {
      const { rows } = await pool.query<EntryRow<unknown>>({
        name: 'sessions-entry',
        text: 'SELECT * FROM session_entries WHERE session_id = $1 AND seq = $2',
        values: [id, seq],
      });
      return rows[0] ? fromJson(rows[0]) : null;
    },
    // Through the parents only, and no more than `last` of them: a session answered many times over is not
    // read whole for one step's recent transcript.
    chain: async (id, seq, last = MAX_SEQ) => {
      const { rows } = await pool.query<EntryRow<unknown>>({
        name: 'sessions-chain',
        text: `WITH RECURSIVE chain (seq, depth) AS (
           SELECT $2::integer, 1
           UNION ALL
           SELECT e.parent_seq, chain.depth + 1 FROM session_entries e JOIN chain ON e.session_id = $1 AND e.seq = chain.seq
           WHERE e.parent_seq IS NOT NULL AND chain.depth < $3
         )
         SELECT e.* FROM chain JOIN session_entries e ON e.session_id = $1 AND e.seq = chain.seq ORDER BY e.seq`,
        values: [id, seq, last],
      });
      return rows.map(fromJson);
    },
    // One statement, so one round trip: the UPDATE locks the session's row; a concurrent append waits for
    // it, then finds the head moved (PostgreSQL re-checks the WHERE on the new row) and writes nothing.
    append: async (id, entry, expectedHead) => {
      const { rows } = await pool.query<{ seq: number }>({
        name: 'sessions-append',
        text: `WITH moved AS (
           UPDATE sessions
           SET head_seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM session_entries WHERE session_id = $1),
               updated_at = $3
           WHERE id = $1 AND head_seq = $10
           RETURNING head_seq AS seq
         )
         INSERT INTO session_entries ${entryNames}
         SELECT $1, moved.seq, ${entryParams} FROM moved
         RETURNING seq`,
        values: [id, ...entryColumns(entry), expectedHead],
      });
      return rows[0]?.seq ?? false;
    },
    count: async () => {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM sessions');
      return rows[0]?.n ?? 0;
    },
  };
}
