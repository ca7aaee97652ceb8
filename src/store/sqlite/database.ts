import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/**
 * Opens the single SQLite file that holds sessions, audit and the schools' data (`DATA_DIR/assistant.db`).
 * The folder is made 700 and the file 600 when they are new: the database holds personal data and the
 * cookie and CSRF keys, which no other local user may read. SQLite gives its -wal and -shm files the
 * rights of the database file.
 */
export function openDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = databaseFile(dataDir);
  closeSync(openSync(file, 'a', 0o600));
  return configure(new BetterSqlite3(file));
}

/**
 * What in a data folder other local users could read or change: the folder beyond 700, the database
 * files beyond 600. Each line in French says the command that fixes it; start-up logs them as warnings.
 */
export function dataDirProblems(dataDir: string): string[] {
  const problems: string[] = [];
  const check = (path: string, allowed: number, fix: string) => {
    if (!existsSync(path)) return;
    const mode = statSync(path).mode & 0o777;
    if ((mode & ~allowed) !== 0)
      problems.push(
        `${path} a les droits ${mode.toString(8)} : d’autres comptes de la machine peuvent le lire (chmod ${fix} ${path}).`,
      );
  };
  check(dataDir, 0o700, '700');
  for (const name of ['assistant.db', 'assistant.db-wal', 'assistant.db-shm'])
    check(join(dataDir, name), 0o600, '600');
  return problems;
}

/** The database's file in a data folder. */
export const databaseFile = (dataDir: string) => join(dataDir, 'assistant.db');

/** An in-memory database for tests. */
export function openMemoryDatabase(): Database {
  return configure(new BetterSqlite3(':memory:'));
}

function configure(db: Database): Database {
  // First, so that switching to WAL waits for another instance starting on the same file instead of failing.
  db.pragma('busy_timeout = 5000');
  // WAL lets readers go on while a fix writes; NORMAL sync is durable enough with WAL and much faster.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}
