import {
  type HelpRequestData,
  type HelpRequests,
  newRequestId,
  type RequestRow,
  toRequest,
} from './help-requests.js';
import { migratePg, type PgPool } from './pg.js';

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
];

/** `json` comes back parsed by the driver. */
type Row = RequestRow<HelpRequestData>;
const fromJson = (r: Row) => toRequest(r, (data) => data);

/** The end users' requests in PostgreSQL, shared by several instances. */
export async function pgHelpRequests(pool: PgPool): Promise<HelpRequests> {
  await migratePg(pool, 'help-requests', MIGRATIONS);
  return {
    add: async (uai, sessionId, data) => {
      const { rows } = await pool.query<Row>(
        `INSERT INTO help_requests (id, uai, session_id, created_at, status, data)
         VALUES ($1, $2, $3, $4, 'nouvelle', $5) RETURNING *`,
        [newRequestId(), uai, sessionId, new Date().toISOString(), JSON.stringify(data)],
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
    markOpened: async (id, agent, sessionId) => {
      await pool.query(
        "UPDATE help_requests SET status = 'ouverte', opened_by = $1, opened_session = $2 WHERE id = $3",
        [agent, sessionId, id],
      );
    },
  };
}
