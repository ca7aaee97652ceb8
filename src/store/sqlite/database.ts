import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/** Opens the single SQLite file that holds sessions, audit and the schools' data (`DATA_DIR/assistant.db`). */
export function openDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  return configure(new BetterSqlite3(databaseFile(dataDir)));
}

/** The database's file in a data folder. */
export const databaseFile = (dataDir: string) => join(dataDir, 'assistant.db');

/** An in-memory database for tests. */
export function openMemoryDatabase(): Database {
  return configure(new BetterSqlite3(':memory:'));
}

function configure(db: Database): Database {
  // WAL lets readers go on while a fix writes; NORMAL sync is durable enough with WAL and much faster.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
