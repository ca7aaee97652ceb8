import type { Agent, AgentStore, SecretKind } from '../agent-port.js';
import { migratePg, type PgPool, withTransaction } from './pool.js';

// Instants stay ISO text compared byte by byte (COLLATE "C"), as in SQLite; names sort the same way.
const MIGRATIONS = [
  `CREATE TABLE agents (
     name TEXT COLLATE "C" PRIMARY KEY,
     admin BOOLEAN NOT NULL DEFAULT false,
     schools TEXT NOT NULL,
     password_hash TEXT,
     created_at TEXT NOT NULL,
     disabled BOOLEAN NOT NULL DEFAULT false,
     cas BOOLEAN NOT NULL DEFAULT false
   );
   CREATE TABLE agent_secrets (
     kind TEXT NOT NULL,
     hash TEXT NOT NULL,
     agent TEXT NOT NULL REFERENCES agents(name) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     expires_at TEXT COLLATE "C",
     PRIMARY KEY (kind, hash)
   );
   CREATE INDEX agent_secrets_agent ON agent_secrets (agent);
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
];

interface AgentRow {
  name: string;
  admin: boolean;
  schools: string;
  password_hash: string | null;
  created_at: string;
  disabled: boolean;
  cas: boolean;
}

const toAgent = (r: AgentRow): Agent => ({
  name: r.name,
  admin: r.admin,
  schools: r.schools === '*' ? 'all' : (JSON.parse(r.schools) as string[]),
  hasPassword: r.password_hash !== null,
  createdAt: r.created_at,
  disabled: r.disabled,
  cas: r.cas,
});

const encodeSchools = (s: string[] | 'all') => (s === 'all' ? '*' : JSON.stringify([...new Set(s)].sort()));

const ONE_TIME: readonly SecretKind[] = ['sign-in-link'];

/** Agents and their secrets in PostgreSQL, shared by several instances. */
export async function pgAgentStore(pool: PgPool): Promise<AgentStore> {
  await migratePg(pool, 'agents', MIGRATIONS);
  const one = async (name: string) => {
    // Named: prepared once per connection, as it runs on every agent request.
    const { rows } = await pool.query<AgentRow>({
      name: 'agents-one',
      text: 'SELECT * FROM agents WHERE name = $1',
      values: [name],
    });
    return rows[0] ?? null;
  };
  const get = async (name: string) => {
    const row = await one(name);
    return row ? toAgent(row) : null;
  };

  // A one-time secret is deleted by the statement that reads it: of two requests using it at once, the
  // second waits for the first's delete and then finds nothing. An expired one is left, as in SQLite.
  const useOnce = async (kind: SecretKind, hash: string, now: string) => {
    const { rows } = await pool.query<{ agent: string; disabled: boolean }>(
      `DELETE FROM agent_secrets s USING agents a
       WHERE a.name = s.agent AND s.kind = $1 AND s.hash = $2 AND (s.expires_at IS NULL OR s.expires_at > $3)
       RETURNING s.agent, a.disabled`,
      [kind, hash, now],
    );
    return rows[0] && !rows[0].disabled ? rows[0].agent : null;
  };
  const holderOf = async (kind: SecretKind, hash: string, now: string) => {
    const { rows } = await pool.query<AgentRow>({
      name: 'agents-secret-holder',
      text: `SELECT a.* FROM agent_secrets s JOIN agents a ON a.name = s.agent
       WHERE s.kind = $1 AND s.hash = $2 AND (s.expires_at IS NULL OR s.expires_at > $3) AND NOT a.disabled`,
      values: [kind, hash, now],
    });
    return rows[0] ? toAgent(rows[0]) : null;
  };

  return {
    add: async ({ name, admin, schools, cas = false }) => {
      const { rows } = await pool.query<AgentRow>(
        'INSERT INTO agents (name, admin, schools, created_at, cas) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [name, admin, encodeSchools(schools), new Date().toISOString(), cas],
      );
      return toAgent(rows[0] as AgentRow);
    },
    get,
    list: async () => {
      const { rows } = await pool.query<AgentRow>('SELECT * FROM agents ORDER BY name');
      return rows.map(toAgent);
    },
    count: async () => {
      const { rows } = await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM agents');
      return rows[0]?.n ?? 0;
    },
    // A disabled agent loses its secrets in the same transaction: no request slips in between.
    update: (name, changes) =>
      withTransaction(pool, async (client) => {
        const { rows } = await client.query<AgentRow>(
          `UPDATE agents SET admin = COALESCE($2, admin), schools = COALESCE($3, schools),
             disabled = COALESCE($4, disabled), cas = COALESCE($5, cas)
           WHERE name = $1 RETURNING *`,
          [
            name,
            changes.admin ?? null,
            changes.schools === undefined ? null : encodeSchools(changes.schools),
            changes.disabled ?? null,
            changes.cas ?? null,
          ],
        );
        if (!rows[0]) return null;
        if (changes.disabled) await client.query('DELETE FROM agent_secrets WHERE agent = $1', [name]);
        return toAgent(rows[0]);
      }),
    setPasswordHash: async (name, hash) => {
      await pool.query('UPDATE agents SET password_hash = $1 WHERE name = $2', [hash, name]);
    },
    passwordHash: async (name) => (await one(name))?.password_hash ?? null,
    addSecret: async (kind, hash, agent, expiresAt) => {
      await pool.query(
        'INSERT INTO agent_secrets (kind, hash, agent, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [kind, hash, agent, new Date().toISOString(), expiresAt],
      );
    },
    useSecret: async (kind, hash, now) =>
      ONE_TIME.includes(kind) ? useOnce(kind, hash, now) : ((await holderOf(kind, hash, now))?.name ?? null),
    holderOf,
    revokeSecret: async (kind, hash) => {
      await pool.query('DELETE FROM agent_secrets WHERE kind = $1 AND hash = $2', [kind, hash]);
    },
    revokeOtherSecrets: async (kind, agent, keptHash) => {
      await pool.query(
        'DELETE FROM agent_secrets WHERE kind = $1 AND agent = $2 AND hash IS DISTINCT FROM $3',
        [kind, agent, keptHash],
      );
    },
    // Two instances starting together both offer a value; the second insert waits for the first and yields,
    // and both then read the one kept.
    setting: async (key, create) => {
      await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
        key,
        create(),
      ]);
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [
        key,
      ]);
      return (rows[0] as { value: string }).value;
    },
  };
}
