import type { Database } from 'better-sqlite3';

/**
 * How many schema steps this build knows per scope, as each store registered them when it opened: what
 * readiness compares the database's `schema_migrations` with.
 */
export const knownSchema = new Map<string, number>();

/**
 * Applies the schema steps of one module (its "scope") that the database has not seen yet, in order.
 * Steps are only ever appended: an applied step is never edited. Each step runs in an IMMEDIATE
 * transaction that re-reads the applied version first, so two processes starting together on one file
 * apply each step once. Answers the version the database had before, for a step that needs work SQL
 * cannot do.
 */
export function migrate(db: Database, scope: string, steps: readonly string[]): number {
  knownSchema.set(scope, steps.length);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (scope TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (scope, version))',
  );
  const applied = db.prepare<[string], { v: number | null }>(
    'SELECT MAX(version) AS v FROM schema_migrations WHERE scope = ?',
  );
  const record = db.prepare('INSERT INTO schema_migrations (scope, version, applied_at) VALUES (?, ?, ?)');
  const apply = db.transaction((version: number, sql: string) => {
    if ((applied.get(scope)?.v ?? 0) >= version) return;
    db.exec(sql);
    record.run(scope, version, new Date().toISOString());
  });
  const before = applied.get(scope)?.v ?? 0;
  steps.forEach((sql, index) => {
    apply.immediate(index + 1, sql);
  });
  return before;
}
