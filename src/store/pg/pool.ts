import pg from 'pg';
import { knownSchema } from '../sqlite/migrate.js';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** What a query can run on: the pool (one statement, its own transaction) or a transaction's client. */
export type PgQueryable = pg.Pool | pg.PoolClient;

// COUNT(*) and BIGSERIAL come back as int8; the counts and sequences here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** Opens a pool on `DATABASE_URL` (postgres://…). Nothing is queried until the first use. */
export function openPostgres(url: string, options: { max?: number } = {}): PgPool {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its connection (the server restarted) must not crash the process: the pool
  // drops it and opens another on the next query.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs `work` in one transaction on one client: committed if it resolves, rolled back if it throws.
 * Serialisation failures and deadlocks are retried a few times, the way PostgreSQL asks callers to.
 */
export async function withTransaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (attempt < 5 && isRetryable(error)) continue;
      throw error;
    } finally {
      client.release();
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  // 40001 serialization_failure, 40P01 deadlock_detected.
  return code === '40001' || code === '40P01';
}

/**
 * The PostgreSQL twin of `migrate`: applies the steps of one scope that the database has not seen yet, in
 * order, each in a transaction holding an advisory lock, so instances starting together apply each step
 * once. Steps are only ever appended.
 */
export async function migratePg(pool: PgPool, scope: string, steps: readonly string[]): Promise<number> {
  knownSchema.set(scope, steps.length);
  return withTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('assistant-schema'))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (scope TEXT NOT NULL, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (scope, version))',
    );
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT MAX(version) AS v FROM schema_migrations WHERE scope = $1',
      [scope],
    );
    const applied = rows[0]?.v ?? 0;
    for (const [index, sql] of steps.entries()) {
      const version = index + 1;
      if (version <= applied) continue;
      await client.query(sql);
      await client.query(
        'INSERT INTO schema_migrations (scope, version, applied_at) VALUES ($1, $2, now())',
        [scope, version],
      );
    }
    return applied;
  });
}
