import type { Database } from 'better-sqlite3';

export interface StatsQuery {
  /** ISO instants: sessions created from `from` (included) to `to` (excluded); fixes written in that span. */
  from: string;
  to: string;
  /** The schools whose sessions and fixes count; 'all' also counts sessions with no school. */
  schools: readonly string[] | 'all';
}

export interface StepCount {
  step: string;
  /** Sessions that were at this step at least once (on any branch of their history). */
  reached: number;
  /** Sessions whose last entry is this step: stopped there, or ended there for an end step. */
  atHead: number;
}

export interface FixCount {
  action: string;
  /** Fixes (batches) of this kind still in place. */
  applied: number;
  /** Fixes of this kind that were undone since. */
  undone: number;
}

export interface SessionStats {
  sessions: number;
  /** Sessions that reached at least one step of each flow. */
  flows: Array<{ flow: string; reached: number }>;
  steps: StepCount[];
  fixes: FixCount[];
}

/**
 * The figures behind the statistics page, computed by the database in a few aggregated queries: no session
 * is loaded. Only plain SQL plus the JSON reading of an entry's results (`json_each`), which a PostgreSQL
 * variant writes with `jsonb_array_elements`.
 */
export function sessionStats(db: Database, query: StatsQuery): SessionStats {
  const { clause, params } = scope(query, 's.uai');
  const scoped = `scoped AS (
      SELECT s.id, s.head_seq FROM sessions s WHERE s.created_at >= ? AND s.created_at < ? ${clause}
    )`;
  // Checks and fixes are not entries of their own: they are listed in the results of the next entry.
  const visits = `${scoped}, visits AS (
      SELECT e.session_id, e.step FROM session_entries e JOIN scoped ON scoped.id = e.session_id
      UNION
      SELECT e.session_id, json_extract(r.value, '$.step')
      FROM session_entries e JOIN scoped ON scoped.id = e.session_id, json_each(e.results) r
    )`;
  const args = [query.from, query.to, ...params];

  const sessions = db
    .prepare<unknown[], { n: number }>(`WITH ${scoped} SELECT COUNT(*) AS n FROM scoped`)
    .get(...args);
  const flows = db
    .prepare<unknown[], { flow: string; reached: number }>(
      `WITH ${visits}
       SELECT substr(step, 1, instr(step, '.') - 1) AS flow, COUNT(DISTINCT session_id) AS reached
       FROM visits GROUP BY flow ORDER BY flow`,
    )
    .all(...args);
  const reached = db
    .prepare<unknown[], { step: string; n: number }>(
      `WITH ${visits} SELECT step, COUNT(*) AS n FROM visits GROUP BY step ORDER BY step`,
    )
    .all(...args);
  const heads = db
    .prepare<unknown[], { step: string; n: number }>(
      `WITH ${scoped}
       SELECT e.step, COUNT(*) AS n FROM scoped
       JOIN session_entries e ON e.session_id = scoped.id AND e.seq = scoped.head_seq
       GROUP BY e.step`,
    )
    .all(...args);
  const atHead = new Map(heads.map((h) => [h.step, h.n]));

  return {
    sessions: sessions?.n ?? 0,
    flows,
    steps: reached.map((r) => ({ step: r.step, reached: r.n, atHead: atHead.get(r.step) ?? 0 })),
    fixes: hasTable(db, 'audit_entries') ? fixCounts(db, query) : [],
  };
}

/** Fixes per action, a fix on several accounts counting once; an undo names the batch it reverted. */
function fixCounts(db: Database, query: StatsQuery): FixCount[] {
  const { clause, params } = scope(query, 'a.uai');
  return db
    .prepare<unknown[], FixCount>(
      `SELECT a.action,
         COUNT(DISTINCT CASE WHEN u.undo_of IS NULL THEN a.batch_id END) AS applied,
         COUNT(DISTINCT CASE WHEN u.undo_of IS NOT NULL THEN a.batch_id END) AS undone
       FROM audit_entries a
       LEFT JOIN (SELECT DISTINCT undo_of FROM audit_entries WHERE undo_of IS NOT NULL) u ON u.undo_of = a.batch_id
       WHERE a.action <> 'undo' AND a.at >= ? AND a.at < ? ${clause}
       GROUP BY a.action ORDER BY a.action`,
    )
    .all(query.from, query.to, ...params);
}

/** The school filter as placeholders (no SQL built from values); an empty list lets nothing through. */
function scope(query: StatsQuery, column: string): { clause: string; params: string[] } {
  if (query.schools === 'all') return { clause: '', params: [] };
  if (query.schools.length === 0) return { clause: 'AND 1 = 0', params: [] };
  return {
    clause: `AND ${column} IN (${query.schools.map(() => '?').join(', ')})`,
    params: [...query.schools],
  };
}

/** The audit journal exists only once a school base is attached; without it there is nothing to count. */
function hasTable(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
