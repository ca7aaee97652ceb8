import type { Database } from 'better-sqlite3';
import type { AafIdentities } from '../ent/aaf-port.js';
import type { EntDirectory, EntLoader } from '../ent/port.js';
import { sqliteAafIdentities } from '../ent/sqlite/aaf.js';
import { sqliteEntDirectory } from '../ent/sqlite/index.js';
import type { PronoteLoader, PronotePort } from '../pronote/port.js';
import { sqlitePronote } from '../pronote/sqlite/index.js';
import type { AgentStore } from '../store/agent-port.js';
import { type StoreGauges, sqliteGauges } from '../store/gauges.js';
import { type HelpRequests, sqliteHelpRequests } from '../store/help-requests.js';
import { type IdentityChecks, sqliteIdentityChecks } from '../store/identity-checks.js';
import { memoryRateCounter, type RateCounter } from '../store/rate-counter.js';
import { type Readiness, sqliteReadiness } from '../store/readiness.js';
import { type Retention, sqliteRetention } from '../store/retention.js';
import type { SessionStore } from '../store/session-port.js';
import { type SessionStats, type StatsQuery, sessionStats } from '../store/session-stats.js';
import { sqliteAgentStore } from '../store/sqlite/agents.js';
import { openDatabase } from '../store/sqlite/database.js';
import { sqliteSessionStore } from '../store/sqlite/sessions.js';

/** Every store the product uses, on one database: SQLite (one host) or PostgreSQL (several instances). */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  sessions: SessionStore;
  agents: AgentStore;
  requests: HelpRequests;
  /** « Vérifier mon compte »: used CAS tickets and short-lived results. */
  checks: IdentityChecks;
  pronote: PronotePort & PronoteLoader;
  ent: EntDirectory & EntLoader;
  /** The identities of a region's AAF delivery, per school (`npm run import -- --region`). */
  aaf: AafIdentities;
  stats: (query: StatsQuery) => Promise<SessionStats>;
  /** The rate limits' counts: in each process on SQLite, shared by every instance on PostgreSQL. */
  rates: RateCounter;
  /** Whether the database answers and holds every schema step this build knows (`/readyz`). */
  readiness(): Promise<Readiness>;
  /** Counts and pool use for `/metrics`. */
  gauges(): Promise<StoreGauges>;
  /** Erases personal data past its retention period. */
  retention: Retention;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

/**
 * Opens the stores and brings their schemas up to date: PostgreSQL when `databaseUrl` is set, otherwise
 * the SQLite file of `dataDir`.
 */
export async function openStores(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
}): Promise<Stores> {
  const url = options.databaseUrl?.trim();
  if (!url) return sqliteStores(openDatabase(options.dataDir));
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new DatabaseUrlError(
      'DATABASE_URL doit être une adresse PostgreSQL (postgres://utilisateur@hôte:5432/base) ; laissez-la vide pour SQLite.',
    );
  }
  return pgStores(url);
}

/** The stores on one SQLite database (a file, or memory in tests). */
export function sqliteStores(db: Database): Stores {
  return {
    kind: 'sqlite',
    sessions: sqliteSessionStore(db),
    agents: sqliteAgentStore(db),
    requests: sqliteHelpRequests(db),
    checks: sqliteIdentityChecks(db),
    pronote: sqlitePronote(db),
    ent: sqliteEntDirectory(db),
    aaf: sqliteAafIdentities(db),
    stats: async (query) => sessionStats(db, query),
    rates: memoryRateCounter(),
    readiness: () => sqliteReadiness(db),
    gauges: () => sqliteGauges(db),
    retention: sqliteRetention(db),
    close: async () => {
      db.close();
    },
  };
}

/** The stores on one PostgreSQL database; every instance of the product opens the same. */
export async function pgStores(url: string): Promise<Stores> {
  // Loaded only here: an instance on SQLite never loads the PostgreSQL client.
  const [
    { openPostgres },
    { pgSessionStore },
    { pgAgentStore },
    { pgHelpRequests },
    { pgPronote },
    { pgEntDirectory },
    { pgAafIdentities },
    { pgSessionStats },
    { pgRateCounter },
    { pgIdentityChecks },
    { pgReadiness },
    { pgGauges },
    { pgRetention },
  ] = await Promise.all([
    import('../store/pg/pool.js'),
    import('../store/pg/sessions.js'),
    import('../store/pg/agents.js'),
    import('../store/pg/help-requests.js'),
    import('../pronote/pg/index.js'),
    import('../ent/pg/index.js'),
    import('../ent/pg/aaf.js'),
    import('../store/pg/session-stats.js'),
    import('../store/pg/rate-counter.js'),
    import('../store/pg/identity-checks.js'),
    import('../store/readiness.js'),
    import('../store/gauges.js'),
    import('../store/pg/retention.js'),
  ]);
  const pool = openPostgres(url);
  let closing: Promise<void> | undefined;
  try {
    // In sequence: the statistics read the tables the sessions and the audit journal create.
    const sessions = await pgSessionStore(pool);
    const agents = await pgAgentStore(pool);
    const requests = await pgHelpRequests(pool);
    const pronote = await pgPronote(pool);
    const ent = await pgEntDirectory(pool);
    const aaf = await pgAafIdentities(pool);
    const rates = await pgRateCounter(pool);
    const checks = await pgIdentityChecks(pool);
    const retention = await pgRetention(pool);
    return {
      kind: 'postgres',
      sessions,
      agents,
      requests,
      checks,
      pronote,
      ent,
      aaf,
      stats: (query) => pgSessionStats(pool, query),
      rates,
      readiness: () => pgReadiness(pool),
      gauges: () => pgGauges(pool),
      retention,
      // Once only: the pool refuses a second end, and a caller closing twice (a test, a signal) is harmless.
      close: () => (closing ??= pool.end()),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
