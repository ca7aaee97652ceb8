import { type IdentityChecks, newCheckId, TICKET_MEMORY_MS } from '../identity-checks.js';
import { migratePg, type PgPool } from './pool.js';

// Instants as ISO text sorted byte by byte (COLLATE "C"), as in SQLite.
const MIGRATIONS = [
  `CREATE TABLE cas_tickets_used (ticket_hash TEXT PRIMARY KEY, used_at TEXT COLLATE "C" NOT NULL);
   CREATE INDEX cas_tickets_used_at ON cas_tickets_used (used_at);
   CREATE TABLE identity_checks (
     id TEXT PRIMARY KEY,
     uai TEXT NOT NULL,
     expires_at TEXT COLLATE "C" NOT NULL,
     data JSON NOT NULL
   );
   CREATE INDEX identity_checks_expiry ON identity_checks (expires_at);`,
];

interface Row {
  id: string;
  uai: string;
  expires_at: string;
  data: unknown;
}

/** Used CAS tickets and identity checks in PostgreSQL: a ticket replayed on another instance is refused there too. */
export async function pgIdentityChecks(pool: PgPool): Promise<IdentityChecks> {
  await migratePg(pool, 'identity-checks', MIGRATIONS);
  return {
    claimTicket: async (ticketHash, now) => {
      await pool.query('DELETE FROM cas_tickets_used WHERE used_at < $1', [
        new Date(now.getTime() - TICKET_MEMORY_MS).toISOString(),
      ]);
      const { rowCount } = await pool.query(
        'INSERT INTO cas_tickets_used (ticket_hash, used_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [ticketHash, now.toISOString()],
      );
      return rowCount === 1;
    },
    save: async (uai, data, expiresAt) => {
      await pool.query('DELETE FROM identity_checks WHERE expires_at < $1', [new Date().toISOString()]);
      const check = { id: newCheckId(), uai, expiresAt: expiresAt.toISOString(), data };
      await pool.query('INSERT INTO identity_checks (id, uai, expires_at, data) VALUES ($1, $2, $3, $4)', [
        check.id,
        uai,
        check.expiresAt,
        JSON.stringify(data),
      ]);
      return check;
    },
    get: async (id, now) => {
      const { rows } = await pool.query<Row>(
        'SELECT * FROM identity_checks WHERE id = $1 AND expires_at > $2',
        [id, now.toISOString()],
      );
      const row = rows[0];
      return row ? { id: row.id, uai: row.uai, expiresAt: row.expires_at, data: row.data } : null;
    },
  };
}
