import { connect } from 'node:net';
import { defineConfig } from 'vitest/config';

/** Whether a PostgreSQL server answers where the suites look for it (see test/helpers/pg.ts). */
function postgresListens(): Promise<boolean> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  return new Promise((resolve) => {
    const socket = connect(Number(url.port || 5432), url.hostname);
    socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Under CI the PostgreSQL project always runs, so that a missing server fails instead of being skipped.
const withPostgres = Boolean(process.env.CI) || (await postgresListens());

/** The HTTP suites that run a second time with every store on PostgreSQL (`TEST_STORE=postgres`). */
const ON_POSTGRES = [
  'test/server/data-flows.test.ts',
  'test/server/corrections.test.ts',
  'test/server/flow-paths.test.ts',
  'test/server/reconciliation.test.ts',
  'test/server/import-page.test.ts',
  'test/server/stats.test.ts',
  'test/server/help-requests.test.ts',
  'test/server/verify.test.ts',
  'test/server/pages.test.ts',
  'test/server/flow-map.test.ts',
  'test/server/transcript-paging.test.ts',
  'test/security/access-matrix.test.ts',
  'test/server/metrics.test.ts',
  'test/server/school-settings.test.ts',
  'test/server/identification-modes.test.ts',
];

const POSTGRES_PROJECT = {
  extends: true,
  // Each answer is a few network round trips instead of in-process calls: the longest walks need more time.
  test: { name: 'postgres', include: ON_POSTGRES, env: { TEST_STORE: 'postgres' }, testTimeout: 180_000 },
} as const;

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'] } },
      ...(withPostgres ? [POSTGRES_PROJECT] : []),
    ],
  },
});
