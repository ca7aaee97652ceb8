import { type PurgeSql, purgeWith, RETENTION_MIGRATIONS, type Retention } from '../retention.js';
import { migratePg, type PgPool } from './pool.js';

/** `?` placeholders as PostgreSQL's `$1, $2…`. */
const numbered = (text: string) => {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
};

/**
 * The purge on PostgreSQL, one instance at a time: the first to take the advisory lock purges, any other
 * starting meanwhile returns null at once rather than doing the same work.
 */
export async function pgRetention(pool: PgPool): Promise<Retention> {
  await migratePg(pool, 'retention', RETENTION_MIGRATIONS);
  return {
    async purge(policy, options) {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext('assistant-retention')) AS locked",
        );
        if (!rows[0]?.locked) return null;
        try {
          const sql: PurgeSql = {
            all: async <T>(text: string, params: unknown[]) =>
              (await client.query(numbered(text), params)).rows as T[],
            run: async (text, params) => (await client.query(numbered(text), params)).rowCount ?? 0,
          };
          return await purgeWith(sql, policy, options);
        } finally {
          await client.query("SELECT pg_advisory_unlock(hashtext('assistant-retention'))");
        }
      } finally {
        client.release();
      }
    },
  };
}
