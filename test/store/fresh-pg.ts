import { afterAll, afterEach, beforeAll } from 'vitest';
import { openPostgres, type PgPool } from '../../src/store/pg/pool.js';
import { createTestDatabase } from '../helpers/pg.js';

/**
 * For a suite inside `describePg`: one test database for the file, a new empty schema in it per call (much
 * quicker than a database per test); the function it answers opens one more pool on that schema, as a
 * second instance would. Pools are closed after each test.
 */
export function freshPgSchemas(): () => Promise<() => PgPool> {
  let url: string;
  let admin: PgPool;
  let count = 0;
  const pools: PgPool[] = [];
  beforeAll(async () => {
    url = await createTestDatabase();
    admin = openPostgres(url, { max: 1 });
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });
  afterAll(async () => {
    await admin?.end();
  });
  return async () => {
    count += 1;
    const schema = `test_${count}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    const inSchema = new URL(url);
    inSchema.searchParams.set('options', `-c search_path=${schema}`);
    return () => {
      const pool = openPostgres(inSchema.toString(), { max: 4 });
      pools.push(pool);
      return pool;
    };
  };
}
