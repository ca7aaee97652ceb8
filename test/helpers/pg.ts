import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';

/**
 * The PostgreSQL server the store suites run against: `TEST_DATABASE_URL`, or the local one this machine
 * and CI run (127.0.0.1:5432, user postgres, trust authentication).
 */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export const pgReachable = await reachable();

if (!pgReachable && process.env.CI) {
  // Under CI the PostgreSQL suites are part of the contract: a missing server is a failure, not a skip.
  throw new Error(
    `PostgreSQL injoignable sur ${PG_ADMIN_URL} alors que CI est défini : la suite PostgreSQL doit tourner.`,
  );
}

/** `describe` for a suite that needs PostgreSQL: skipped only outside CI when no server answers. */
export const describePg = describe.skipIf(!pgReachable);

/**
 * A new empty database for one test file (or one test), dropped after the file's tests. Returns its URL.
 */
export async function createTestDatabase(): Promise<string> {
  const name = `assistant_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // Tests do not need each commit on disk before the answer (the product keeps PostgreSQL's default):
    // without the wait for the WAL flush an answer is several times faster on this machine's disk.
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } finally {
    await admin.end();
  }
  created.push(name);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const created: string[] = [];

afterAll(async () => {
  if (created.length === 0) return;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    for (const name of created.splice(0)) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
});
