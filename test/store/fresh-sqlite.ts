import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/database.js';

/**
 * A new SQLite file per call, in a temporary folder; the function it answers opens one more connection on
 * it, as a second process would. Connections are closed and files removed after each test.
 */
export function freshSqliteFiles(): () => Promise<() => Database> {
  const dirs: string[] = [];
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'));
    dirs.push(dir);
    return () => {
      const db = openDatabase(dir);
      open.push(db);
      return db;
    };
  };
}
