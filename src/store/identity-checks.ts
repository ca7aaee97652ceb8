import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrate } from './sqlite/migrate.js';
import { promised, type Synchronous } from './sqlite/promised.js';

/**
 * « Vérifier mon compte » keeps two things server-side, in the database so that every instance sees them:
 * the CAS tickets already used (a ticket opens one check, once, whichever instance it reaches) and each
 * check's result for the few minutes the person reads it. `D` is the check's content, opaque here.
 */
export interface IdentityCheck<D = unknown> {
  id: string;
  uai: string;
  /** ISO 8601. */
  expiresAt: string;
  data: D;
}

export interface IdentityChecks {
  /** Records a ticket (its hash) as used; false when it already was. */
  claimTicket(ticketHash: string, now: Date): Promise<boolean>;
  save(uai: string, data: unknown, expiresAt: Date): Promise<IdentityCheck>;
  /** The check while it lasts; null once expired or unknown. */
  get(id: string, now: Date): Promise<IdentityCheck | null>;
}

/** A CAS ticket lives minutes: a day's record of used ones outlasts any replay. */
export const TICKET_MEMORY_MS = 24 * 3_600_000;

export const newCheckId = (): string => randomBytes(18).toString('base64url');

const MIGRATIONS = [
  `CREATE TABLE cas_tickets_used (ticket_hash TEXT PRIMARY KEY, used_at TEXT NOT NULL);
   CREATE INDEX cas_tickets_used_at ON cas_tickets_used (used_at);
   CREATE TABLE identity_checks (
     id TEXT PRIMARY KEY,
     uai TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     data TEXT NOT NULL
   );
   CREATE INDEX identity_checks_expiry ON identity_checks (expires_at);`,
];

interface Row {
  id: string;
  uai: string;
  expires_at: string;
  data: string;
}

export function sqliteIdentityChecks(db: Database): IdentityChecks {
  migrate(db, 'identity-checks', MIGRATIONS);
  const sync: Synchronous<IdentityChecks> = {
    claimTicket(ticketHash, now) {
      db.prepare('DELETE FROM cas_tickets_used WHERE used_at < ?').run(
        new Date(now.getTime() - TICKET_MEMORY_MS).toISOString(),
      );
      const { changes } = db
        .prepare('INSERT INTO cas_tickets_used (ticket_hash, used_at) VALUES (?, ?) ON CONFLICT DO NOTHING')
        .run(ticketHash, now.toISOString());
      return changes === 1;
    },
    save(uai, data, expiresAt) {
      // Results past their time are personal data kept for nothing: each new check deletes them.
      db.prepare('DELETE FROM identity_checks WHERE expires_at < ?').run(new Date().toISOString());
      const check = { id: newCheckId(), uai, expiresAt: expiresAt.toISOString(), data };
      db.prepare('INSERT INTO identity_checks (id, uai, expires_at, data) VALUES (?, ?, ?, ?)').run(
        check.id,
        uai,
        check.expiresAt,
        JSON.stringify(data),
      );
      return check;
    },
    get(id, now) {
      const row = db
        .prepare<[string, string], Row>('SELECT * FROM identity_checks WHERE id = ? AND expires_at > ?')
        .get(id, now.toISOString());
      return row ? { id: row.id, uai: row.uai, expiresAt: row.expires_at, data: JSON.parse(row.data) } : null;
    },
  };
  return promised<IdentityChecks>(sync);
}
