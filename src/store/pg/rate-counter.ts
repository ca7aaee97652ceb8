import type { RateCounter } from '../rate-counter.js';
import { migratePg, type PgPool } from './pool.js';

const MIGRATIONS = [
  `CREATE TABLE rate_windows (
     key TEXT NOT NULL,
     window_start BIGINT NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (key, window_start)
   );
   CREATE INDEX rate_windows_start ON rate_windows (window_start);`,
];

/** Windows older than this are deleted now and then: the longest limit's window is ten minutes. */
const KEEP_MS = 60 * 60_000;
const PURGE_EVERY = 1000;

/** Counts shared by every instance on the database: a client gets the limit once, not once per instance. */
export async function pgRateCounter(pool: PgPool): Promise<RateCounter> {
  await migratePg(pool, 'rate-limits', MIGRATIONS);
  let hits = 0;
  return {
    hit: async (key, windowStart) => {
      if (++hits % PURGE_EVERY === 0) {
        await pool.query('DELETE FROM rate_windows WHERE window_start < $1', [Date.now() - KEEP_MS]);
      }
      // One statement: two instances counting the same client at once both land on the row, in turn.
      const { rows } = await pool.query<{ count: number }>(
        `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1
         RETURNING count`,
        [key, windowStart],
      );
      return rows[0]?.count ?? 1;
    },
  };
}
