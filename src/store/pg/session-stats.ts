import type { FixCount, SessionStats, StatsQuery } from '../session-stats.js';
import type { PgPool } from './pool.js';

/**
 * `sessionStats` on PostgreSQL, over the tables of `pgSessionStore` and the PostgreSQL audit journal: the
 * same queries, with `json_array_elements` reading an entry's results. Names sort byte by byte
 * (COLLATE "C"), as SQLite sorts them, so both list flows, steps and fixes in the same order.
 */
export async function pgSessionStats(pool: PgPool, query: StatsQuery): Promise<SessionStats> {
  const { clause, params } = scope(query, 's.uai');
  const args = [query.from, query.to, ...params];
  const scoped = `scoped AS (
      SELECT s.id, s.head_seq FROM sessions s WHERE s.created_at >= $1 AND s.created_at < $2 ${clause}
    )`;
  // Checks and fixes are not entries of their own: they are listed in the results of the next entry.
  const visits = `${scoped}, visits AS (
      SELECT e.session_id, e.step FROM session_entries e JOIN scoped ON scoped.id = e.session_id
      UNION
      SELECT e.session_id, r.value ->> 'step'
      FROM session_entries e JOIN scoped ON scoped.id = e.session_id, json_array_elements(e.results) r
    )`;
  // What SQLite's substr(step, 1, instr(step, '.') - 1) gives: the text before the first dot, or ''.
  const flow = "CASE WHEN strpos(step, '.') = 0 THEN '' ELSE split_part(step, '.', 1) END";

  const [sessions, flows, reached, heads, fixes] = await Promise.all([
    pool.query<{ n: number }>(`WITH ${scoped} SELECT COUNT(*) AS n FROM scoped`, args),
    pool.query<{ flow: string; reached: number }>(
      `WITH ${visits}, flows AS (SELECT ${flow} AS flow, session_id FROM visits)
       SELECT flow, COUNT(DISTINCT session_id) AS reached FROM flows GROUP BY flow ORDER BY flow COLLATE "C"`,
      args,
    ),
    pool.query<{ step: string; n: number }>(
      `WITH ${visits} SELECT step, COUNT(*) AS n FROM visits GROUP BY step ORDER BY step COLLATE "C"`,
      args,
    ),
    pool.query<{ step: string; n: number }>(
      `WITH ${scoped}
       SELECT e.step, COUNT(*) AS n FROM scoped
       JOIN session_entries e ON e.session_id = scoped.id AND e.seq = scoped.head_seq
       GROUP BY e.step`,
      args,
    ),
    fixCounts(pool, query),
  ]);
  const atHead = new Map(heads.rows.map((h) => [h.step, h.n]));

  return {
    sessions: sessions.rows[0]?.n ?? 0,
    flows: flows.rows,
    steps: reached.rows.map((r) => ({ step: r.step, reached: r.n, atHead: atHead.get(r.step) ?? 0 })),
    fixes,
  };
}

/** Fixes per action, a fix on several accounts counting once; an undo names the batch it reverted. */
async function fixCounts(pool: PgPool, query: StatsQuery): Promise<FixCount[]> {
  // The audit journal exists only once a school base is attached; without it there is nothing to count.
  const table = await pool.query<{ present: boolean }>(
    "SELECT to_regclass('audit_entries') IS NOT NULL AS present",
  );
  if (!table.rows[0]?.present) return [];
  const { clause, params } = scope(query, 'a.uai');
  const { rows } = await pool.query<FixCount>(
    `SELECT a.action,
       COUNT(DISTINCT CASE WHEN u.undo_of IS NULL THEN a.batch_id END) AS applied,
       COUNT(DISTINCT CASE WHEN u.undo_of IS NOT NULL THEN a.batch_id END) AS undone
     FROM audit_entries a
     LEFT JOIN (SELECT DISTINCT undo_of FROM audit_entries WHERE undo_of IS NOT NULL) u ON u.undo_of = a.batch_id
     WHERE a.action <> 'undo' AND a.at >= $1 AND a.at < $2 ${clause}
     GROUP BY a.action ORDER BY a.action COLLATE "C"`,
    [query.from, query.to, ...params],
  );
  return rows;
}

/** The school filter as one array parameter ($3); an empty list lets nothing through. */
function scope(query: StatsQuery, column: string): { clause: string; params: string[][] } {
  if (query.schools === 'all') return { clause: '', params: [] };
  if (query.schools.length === 0) return { clause: 'AND false', params: [] };
  return { clause: `AND ${column} = ANY($3)`, params: [[...query.schools]] };
}
