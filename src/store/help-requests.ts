import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrate } from './migrate.js';
import { type Promised, promised } from './promised.js';

/** What an end user sends to their school when the assistant could not solve it alone. */
export interface HelpRequestData {
  flow: string;
  step: string;
  /** The identity the user typed (their own « Données connues »), shown only to the school's agents. */
  identity?: { login?: string; nom?: string; prenom?: string; dateNaissance?: string };
  message?: string;
  corrections: string;
  contact: { email?: string; telephone?: string };
}

export interface HelpRequest {
  id: string;
  uai: string;
  sessionId: string;
  createdAt: string;
  status: 'nouvelle' | 'ouverte';
  openedBy: string | null;
  openedSession: string | null;
  data: HelpRequestData;
}

/** The queue of end users' requests, read by the agents of each school. */
export interface HelpRequestStoreSync {
  add(uai: string, sessionId: string, data: HelpRequestData): HelpRequest;
  get(id: string): HelpRequest | null;
  /** The requests of these schools ('all': every school), newest first. */
  list(schools: readonly string[] | 'all', limit?: number): HelpRequest[];
  markOpened(id: string, agent: string, sessionId: string): void;
}

export type HelpRequests = Promised<HelpRequestStoreSync>;

export const newRequestId = (): string => randomBytes(12).toString('base64url');

const MIGRATIONS = [
  `CREATE TABLE help_requests (
     id TEXT PRIMARY KEY,
     uai TEXT NOT NULL,
     session_id TEXT NOT NULL,
     created_at TEXT NOT NULL,
     status TEXT NOT NULL,
     opened_by TEXT,
     opened_session TEXT,
     data TEXT NOT NULL
   );
   CREATE INDEX help_requests_uai ON help_requests (uai, created_at);`,
];

/** A request as both adapters store it; `D` is how its data comes back: text from SQLite, parsed from PostgreSQL. */
export interface RequestRow<D> {
  id: string;
  uai: string;
  session_id: string;
  created_at: string;
  status: HelpRequest['status'];
  opened_by: string | null;
  opened_session: string | null;
  data: D;
}

export const toRequest = <D>(r: RequestRow<D>, decode: (data: D) => HelpRequestData): HelpRequest => ({
  id: r.id,
  uai: r.uai,
  sessionId: r.session_id,
  createdAt: r.created_at,
  status: r.status,
  openedBy: r.opened_by,
  openedSession: r.opened_session,
  data: decode(r.data),
});

type Row = RequestRow<string>;
const fromText = (r: Row) => toRequest(r, JSON.parse);

export function sqliteHelpRequests(db: Database): HelpRequests {
  migrate(db, 'help-requests', MIGRATIONS);
  const sync: HelpRequestStoreSync = {
    add(uai: string, sessionId: string, data: HelpRequestData): HelpRequest {
      const id = newRequestId();
      db.prepare(
        'INSERT INTO help_requests (id, uai, session_id, created_at, status, data) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(id, uai, sessionId, new Date().toISOString(), 'nouvelle', JSON.stringify(data));
      return sync.get(id) as HelpRequest;
    },
    get(id: string): HelpRequest | null {
      const row = db.prepare<[string], Row>('SELECT * FROM help_requests WHERE id = ?').get(id);
      return row ? fromText(row) : null;
    },
    list(schools, limit = 200) {
      if (schools === 'all') {
        return db
          .prepare<[number], Row>('SELECT * FROM help_requests ORDER BY created_at DESC LIMIT ?')
          .all(limit)
          .map(fromText);
      }
      if (schools.length === 0) return [];
      const marks = schools.map(() => '?').join(',');
      return db
        .prepare<unknown[], Row>(
          `SELECT * FROM help_requests WHERE uai IN (${marks}) ORDER BY created_at DESC LIMIT ?`,
        )
        .all(...schools, limit)
        .map(fromText);
    },
    markOpened(id: string, agent: string, sessionId: string): void {
      db.prepare(
        "UPDATE help_requests SET status = 'ouverte', opened_by = ?, opened_session = ? WHERE id = ?",
      ).run(agent, sessionId, id);
    },
  };
  return promised(sync);
}
