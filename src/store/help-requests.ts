import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrate } from './sqlite/migrate.js';
import { promised, type Synchronous } from './sqlite/promised.js';

/** What an end user sends to their school when the assistant could not solve it alone. */
export interface HelpRequestData {
  flow: string;
  step: string;
  /** The identity the user typed (their own « Données connues »), shown only to the school's agents. */
  identity?: { login?: string; nom?: string; prenom?: string; dateNaissance?: string; codePostal?: string };
  message?: string;
  corrections: string;
  /** The flow's own fields as typed: `eleve`, `classe` (Espace Parents), `espace`, `ancien`, `nouveau`. */
  details?: Record<string, string>;
  contact: { email?: string; telephone?: string };
  /**
   * From « Vérifier mon compte »: the identity came from the ENT's CAS (not typed), the findings about it,
   * and where an agent opening the request starts (a reconciliation target).
   */
  verified?: {
    findings: string[];
    target: { target: string; value: string } | null;
  };
}

/** Reçue, en cours (taken or opened by an agent), corrigée (the person may try again), or closed otherwise. */
export const REQUEST_STATUSES = ['nouvelle', 'en-cours', 'corrigee', 'close'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface HelpRequest {
  id: string;
  /** What the person quotes: short, readable aloud, unrelated to who they are. */
  reference: string;
  uai: string;
  sessionId: string;
  createdAt: string;
  updatedAt: string;
  status: RequestStatus;
  /** The agent in charge. */
  owner: string | null;
  /** What the school answered, shown to the person at their follow-up link. */
  answer: string | null;
  openedBy: string | null;
  openedSession: string | null;
  data: HelpRequestData;
}

/** An agent's move on a request: take it, answer it (corrected, or closed with an explanation). */
export type RequestUpdate =
  | { kind: 'take'; agent: string }
  | { kind: 'answer'; agent: string; status: 'en-cours' | 'corrigee' | 'close'; answer: string };

/** The queue of end users' requests, read by the agents of each school. */
export interface HelpRequests {
  add(uai: string, sessionId: string, data: HelpRequestData): Promise<HelpRequest>;
  get(id: string): Promise<HelpRequest | null>;
  /** The requests of these schools ('all': every school), newest first. */
  list(schools: readonly string[] | 'all', limit?: number): Promise<HelpRequest[]>;
  /** The request already sent from this session (or identity check), if any. */
  findBySession(sessionId: string): Promise<HelpRequest | null>;
  /** Marks it « en cours », its owner the agent unless it has one. */
  markOpened(id: string, agent: string, sessionId: string): Promise<void>;
  update(id: string, change: RequestUpdate): Promise<HelpRequest | null>;
}

export const newRequestId = (): string => randomBytes(12).toString('base64url');

// No 0/O, 1/I/L: a reference is read out on the phone.
const REFERENCE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** « D-7K3M-9QXA »: 40 bits, unique enough per school for a person to quote, never a key. */
export function newReference(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => REFERENCE_LETTERS[b % REFERENCE_LETTERS.length]).join('');
  return `D-${chars.slice(0, 4)}-${chars.slice(4, 8)}`;
}

/** The columns an update writes, the same on both stores. */
export function updateColumns(change: RequestUpdate, current: HelpRequest) {
  if (change.kind === 'take')
    return {
      status: current.status === 'nouvelle' ? 'en-cours' : current.status,
      owner: change.agent,
      answer: current.answer,
    };
  return { status: change.status, owner: current.owner ?? change.agent, answer: change.answer };
}

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
  `ALTER TABLE help_requests ADD COLUMN reference TEXT NOT NULL DEFAULT '';
   ALTER TABLE help_requests ADD COLUMN owner TEXT;
   ALTER TABLE help_requests ADD COLUMN answer TEXT;
   ALTER TABLE help_requests ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
   UPDATE help_requests SET status = 'en-cours', owner = opened_by WHERE status = 'ouverte';
   UPDATE help_requests SET updated_at = created_at, reference = 'D-' || upper(substr(id, 1, 8));
   CREATE INDEX help_requests_session ON help_requests (session_id);`,
];

/** A request as both adapters store it; `D` is how its data comes back: text from SQLite, parsed from PostgreSQL. */
export interface RequestRow<D> {
  id: string;
  reference: string;
  uai: string;
  session_id: string;
  created_at: string;
  updated_at: string;
  status: HelpRequest['status'];
  owner: string | null;
  answer: string | null;
  opened_by: string | null;
  opened_session: string | null;
  data: D;
}

export const toRequest = <D>(r: RequestRow<D>, decode: (data: D) => HelpRequestData): HelpRequest => ({
  id: r.id,
  reference: r.reference,
  uai: r.uai,
  sessionId: r.session_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  status: r.status,
  owner: r.owner,
  answer: r.answer,
  openedBy: r.opened_by,
  openedSession: r.opened_session,
  data: decode(r.data),
});

type Row = RequestRow<string>;
const fromText = (r: Row) => toRequest(r, JSON.parse);

export function sqliteHelpRequests(db: Database): HelpRequests {
  migrate(db, 'help-requests', MIGRATIONS);
  const sync: Synchronous<HelpRequests> = {
    add(uai: string, sessionId: string, data: HelpRequestData): HelpRequest {
      const id = newRequestId();
      const now = new Date().toISOString();
      db.prepare(
        `INSERT INTO help_requests (id, reference, uai, session_id, created_at, updated_at, status, data)
         VALUES (?, ?, ?, ?, ?, ?, 'nouvelle', ?)`,
      ).run(id, newReference(), uai, sessionId, now, now, JSON.stringify(data));
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
    findBySession(sessionId) {
      const row = db
        .prepare<[string], Row>(
          'SELECT * FROM help_requests WHERE session_id = ? ORDER BY created_at LIMIT 1',
        )
        .get(sessionId);
      return row ? fromText(row) : null;
    },
    markOpened(id: string, agent: string, sessionId: string): void {
      db.prepare(
        `UPDATE help_requests SET status = CASE WHEN status = 'nouvelle' THEN 'en-cours' ELSE status END,
           owner = COALESCE(owner, ?), opened_by = ?, opened_session = ?, updated_at = ? WHERE id = ?`,
      ).run(agent, agent, sessionId, new Date().toISOString(), id);
    },
    update(id, change) {
      // Read and write in one immediate transaction: two agents answering at once both land, in order.
      return db
        .transaction(() => {
          const current = sync.get(id);
          if (!current) return null;
          const next = updateColumns(change, current);
          db.prepare(
            'UPDATE help_requests SET status = ?, owner = ?, answer = ?, updated_at = ? WHERE id = ?',
          ).run(next.status, next.owner, next.answer, new Date().toISOString(), id);
          return sync.get(id);
        })
        .immediate();
    },
  };
  return promised<HelpRequests>(sync);
}
