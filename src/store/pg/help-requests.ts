import {
  type HelpRequestData,
  type HelpRequests,
  newReference,
  newRequestId,
  type RequestRow,
  toRequest,
  updateColumns,
} from '../help-requests.js';
import { migratePg, type PgPool, withTransaction } from './pool.js';

// `created_at` stays ISO text sorted byte by byte (COLLATE "C"), as in SQLite; `data` is `json`, kept as sent.
const MIGRATIONS = [
  `CREATE TABLE help_requests (
     id TEXT PRIMARY KEY,
     uai TEXT NOT NULL,
     session_id TEXT NOT NULL,
     created_at TEXT COLLATE "C" NOT NULL,
     status TEXT NOT NULL,
     opened_by TEXT,
     opened_session TEXT,
     data JSON NOT NULL
   );
   CREATE INDEX help_requests_uai ON help_requests (uai, created_at);
   CREATE INDEX help_requests_created ON help_requests (created_at);`,
  `ALTER TABLE help_requests ADD COLUMN reference TEXT NOT NULL DEFAULT '';
   ALTER TABLE help_requests ADD COLUMN owner TEXT;
   ALTER TABLE help_requests ADD COLUMN answer TEXT;
   ALTER TABLE help_requests ADD COLUMN updated_at TEXT COLLATE "C" NOT NULL DEFAULT '';
   UPDATE help_requests SET status = 'en-cours', owner = opened_by WHERE status = 'ouverte';
   UPDATE help_requests SET updated_at = created_at, reference = 'D-' || upper(substr(id, 1, 8));
   CREATE INDEX help_requests_session ON help_requests (session_id);`,
];

/** `json` comes back parsed by the driver. */
type Row = RequestRow<HelpRequestData>;
const fromJson = (r: Row) => toRequest(r, (data) => data);

/** The end users' requests in PostgreSQL, shared by several instances. */
export async function pgHelpRequests(pool: PgPool): Promise<HelpRequests> {
  await migratePg(pool, 'help-requests', MIGRATIONS);
  return {
    add: async (uai, sessionId, data) => {
      const now = new Date().toISOString();
      const { rows } = await pool.query<Row>(
        `INSERT INTO help_requests (id, reference, uai, session_id, created_at, updated_at, status, data)
         VALUES ($1, $2, $3, $4, $5, $5, 'nouvelle', $6) RETURNING *`,
        [newRequestId(), newReference(), uai, sessionId, now, JSON.stringify(data)],
      );
      return fromJson(rows[0] as Row);
    },
    get: async (id) => {
      const { rows } = await pool.query<Row>('SELECT * FROM help_requests WHERE id = $1', [id]);
      return rows[0] ? fromJson(rows[0]) : null;
    },
    list: async (schools, limit = 200) => {
      if (schools !== 'all' && schools.length === 0) return [];
      const { rows } =
        schools === 'all'
          ? await pool.query<Row>('SELECT * FROM help_requests ORDER BY created_at DESC LIMIT $1', [limit])
          : await pool.query<Row>(
              'SELECT * FROM help_requests WHERE uai = ANY($1) ORDER BY created_at DESC LIMIT $2',
              [[...schools], limit],
            );
      return rows.map(fromJson);
    },
    findBySession: async (sessionId) => {
      const { rows } = await pool.query<Row>(
        'SELECT * FROM help_requests WHERE session_id = $1 ORDER BY created_at LIMIT 1',
        [sessionId],
      );
      return rows[0] ? fromJson(rows[0]) : null;
    },
    markOpened: async (id, agent, sessionId) => {
      await pool.query(
        `UPDATE help_requests SET status = CASE WHEN status = 'nouvelle' THEN 'en-cours' ELSE status END,
           owner = COALESCE(owner, $1), opened_by = $1, opened_session = $2, updated_at = $3 WHERE id = $4`,
        [agent, sessionId, new Date().toISOString(), id],
      );
    },
    update: (id, change) =>
      withTransaction(pool, async (client) => {
        const { rows } = await client.query<Row>('SELECT * FROM help_requests WHERE id = $1 FOR UPDATE', [
          id,
        ]);
        if (!rows[0]) return null;
        const next = updateColumns(change, fromJson(rows[0]));
        const updated = await client.query<Row>(
          'UPDATE help_requests SET status = $1, owner = $2, answer = $3, updated_at = $4 WHERE id = $5 RETURNING *',
          [next.status, next.owner, next.answer, new Date().toISOString(), id],
        );
        return updated.rows[0] ? fromJson(updated.rows[0]) : null;
      }),
  };
}
