import type { Database } from 'better-sqlite3';
import type { PgPool } from './pg/pool.js';

/**
 * What the metrics read from the database at each scrape: counts over every school, nobody's data. The
 * same on every instance, since they share the database.
 */
export interface StoreGauges {
  /** Corrections asked for in PRONOTE, by state (pending, applied, verified, contradicted, undone). */
  correctionsByState: Record<string, number>;
  /** End users' requests to their school, by status. */
  requestsByStatus: Record<string, number>;
  /** PostgreSQL's connection pool of this instance; none on SQLite (one connection). */
  pool: { total: number; idle: number; waiting: number; max: number } | null;
}

type CountRow = { key: string; n: number };

const CORRECTIONS = 'SELECT state AS key, COUNT(*) AS n FROM pronote_corrections GROUP BY state';
const REQUESTS = 'SELECT status AS key, COUNT(*) AS n FROM help_requests GROUP BY status';

const byKey = (rows: CountRow[]) => Object.fromEntries(rows.map((row) => [row.key, Number(row.n)]));

export async function sqliteGauges(db: Database): Promise<StoreGauges> {
  return {
    correctionsByState: byKey(db.prepare<[], CountRow>(CORRECTIONS).all()),
    requestsByStatus: byKey(db.prepare<[], CountRow>(REQUESTS).all()),
    pool: null,
  };
}

export async function pgGauges(pool: PgPool): Promise<StoreGauges> {
  const [corrections, requests] = await Promise.all([
    pool.query<CountRow>(CORRECTIONS),
    pool.query<CountRow>(REQUESTS),
  ]);
  return {
    correctionsByState: byKey(corrections.rows),
    requestsByStatus: byKey(requests.rows),
    pool: {
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max ?? 10,
    },
  };
}
