import type { Database } from 'better-sqlite3';
import type { Agent, AgentStore, SecretKind } from '../agent-port.js';
import { migrate } from './migrate.js';
import { promised, type Synchronous } from './promised.js';

const MIGRATIONS = [
  `CREATE TABLE agents (
     name TEXT PRIMARY KEY,
     admin INTEGER NOT NULL DEFAULT 0,
     schools TEXT NOT NULL,
     password_hash TEXT,
     created_at TEXT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE agent_secrets (
     kind TEXT NOT NULL,
     hash TEXT NOT NULL,
     agent TEXT NOT NULL REFERENCES agents(name) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     expires_at TEXT,
     PRIMARY KEY (kind, hash)
   );
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // CAS sign-in is opt-in per agent: an ENT account that merely shares an agent's name gets nothing.
  'ALTER TABLE agents ADD COLUMN cas INTEGER NOT NULL DEFAULT 0;',
];

interface AgentRow {
  name: string;
  admin: number;
  schools: string;
  password_hash: string | null;
  created_at: string;
  disabled: number;
  cas: number;
}

const toAgent = (r: AgentRow): Agent => ({
  name: r.name,
  admin: r.admin === 1,
  schools: r.schools === '*' ? 'all' : (JSON.parse(r.schools) as string[]),
  hasPassword: r.password_hash !== null,
  createdAt: r.created_at,
  disabled: r.disabled === 1,
  cas: r.cas === 1,
});

const ONE_TIME: readonly SecretKind[] = ['sign-in-link'];

export function sqliteAgentStore(db: Database): AgentStore {
  migrate(db, 'agents', MIGRATIONS);
  const encodeSchools = (s: string[] | 'all') => (s === 'all' ? '*' : JSON.stringify([...new Set(s)].sort()));
  const select = db.prepare<[string], AgentRow>('SELECT * FROM agents WHERE name = ?');
  const get = (name: string) => {
    const row = select.get(name);
    return row ? toAgent(row) : null;
  };
  // Every agent request checks its token or session this way: prepared once, one read, no transaction.
  type HolderRow = AgentRow & { expires_at: string | null };
  const secretHolder = db.prepare<[string, string], HolderRow>(
    `SELECT a.*, s.expires_at FROM agent_secrets s JOIN agents a ON a.name = s.agent
     WHERE s.kind = ? AND s.hash = ?`,
  );
  const deleteSecret = db.prepare('DELETE FROM agent_secrets WHERE kind = ? AND hash = ?');
  const current = (row: HolderRow | undefined, now: string): row is HolderRow =>
    row !== undefined && (row.expires_at === null || row.expires_at > now);
  const holderOf = (kind: SecretKind, hash: string, now: string): Agent | null => {
    const row = secretHolder.get(kind, hash);
    return current(row, now) && row.disabled === 0 ? toAgent(row) : null;
  };
  // A one-time secret is read and deleted in one transaction holding the write lock from its start, so two
  // requests, even from two processes, cannot both use it.
  const useOnce = db.transaction((kind: SecretKind, hash: string, now: string): string | null => {
    const row = secretHolder.get(kind, hash);
    if (!current(row, now)) return null;
    deleteSecret.run(kind, hash);
    return row.disabled === 0 ? row.name : null;
  });
  const useSecret = (kind: SecretKind, hash: string, now: string) =>
    ONE_TIME.includes(kind) ? useOnce.immediate(kind, hash, now) : (holderOf(kind, hash, now)?.name ?? null);

  const sync: Synchronous<AgentStore> = {
    add: ({ name, admin, schools, cas = false }) => {
      db.prepare('INSERT INTO agents (name, admin, schools, created_at, cas) VALUES (?, ?, ?, ?, ?)').run(
        name,
        admin ? 1 : 0,
        encodeSchools(schools),
        new Date().toISOString(),
        cas ? 1 : 0,
      );
      return get(name) as Agent;
    },
    get,
    list: () => db.prepare<[], AgentRow>('SELECT * FROM agents ORDER BY name').all().map(toAgent),
    count: () => db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM agents').get()?.n ?? 0,
    update: (name, changes) => {
      const current = get(name);
      if (!current) return null;
      db.prepare('UPDATE agents SET admin = ?, schools = ?, disabled = ?, cas = ? WHERE name = ?').run(
        (changes.admin ?? current.admin) ? 1 : 0,
        encodeSchools(changes.schools ?? current.schools),
        (changes.disabled ?? current.disabled) ? 1 : 0,
        (changes.cas ?? current.cas) ? 1 : 0,
        name,
      );
      if (changes.disabled) db.prepare('DELETE FROM agent_secrets WHERE agent = ?').run(name);
      return get(name);
    },
    setPasswordHash: (name, hash) => {
      db.prepare('UPDATE agents SET password_hash = ? WHERE name = ?').run(hash, name);
    },
    passwordHash: (name) => select.get(name)?.password_hash ?? null,
    addSecret: (kind, hash, agent, expiresAt) => {
      db.prepare(
        'INSERT INTO agent_secrets (kind, hash, agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ).run(kind, hash, agent, new Date().toISOString(), expiresAt);
    },
    useSecret: (kind, hash, now) => useSecret(kind, hash, now),
    holderOf,
    revokeSecret: (kind, hash) => {
      db.prepare('DELETE FROM agent_secrets WHERE kind = ? AND hash = ?').run(kind, hash);
    },
    revokeOtherSecrets: (kind, agent, keptHash) => {
      db.prepare('DELETE FROM agent_secrets WHERE kind = ? AND agent = ? AND hash IS NOT ?').run(
        kind,
        agent,
        keptHash,
      );
    },
    setting: (key, create) => {
      db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, create());
      return (
        db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key) as {
          value: string;
        }
      ).value;
    },
  };
  return promised<AgentStore>(sync);
}
