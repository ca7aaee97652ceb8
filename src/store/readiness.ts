import type { Database } from 'better-sqlite3';
import type { PgPool } from './pg/pool.js';
import { knownSchema } from './sqlite/migrate.js';

/** Whether the database can serve: reachable, and holding every schema step this build knows. */
export type Readiness = { ready: true } | { ready: false; reason: string; error?: unknown };

type AppliedRow = { scope: string; version: number };

const APPLIED = 'SELECT scope, MAX(version) AS version FROM schema_migrations GROUP BY scope';
/** A database that does not answer in this time is as good as unreachable for a load balancer. */
const TIMEOUT_MS = 2_000;

function compare(rows: AppliedRow[]): Readiness {
  const applied = new Map(rows.map((row) => [row.scope, Number(row.version)]));
  const behind = [...knownSchema]
    .filter(([scope, steps]) => (applied.get(scope) ?? 0) < steps)
    .map(([scope]) => scope);
  if (behind.length === 0) return { ready: true };
  return { ready: false, reason: `schéma de la base en retard : ${behind.sort().join(', ')}` };
}

// The error is for the log only: its text may name hosts the answer must not show.
const unreachable = (error: unknown): Readiness => ({
  ready: false,
  reason: 'base de données injoignable',
  error,
});

export async function sqliteReadiness(db: Database): Promise<Readiness> {
  try {
    return compare(db.prepare<[], AppliedRow>(APPLIED).all());
  } catch (err) {
    return unreachable(err);
  }
}

export async function pgReadiness(pool: PgPool): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pas de réponse en ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    const { rows } = await Promise.race([pool.query<AppliedRow>(APPLIED), timeout]);
    return compare(rows);
  } catch (err) {
    return unreachable(err);
  } finally {
    clearTimeout(timer);
  }
}
