import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { databaseFile } from './database.js';
import { knownSchema } from './migrate.js';

/** A backup or a restore refused, with the French message to print. */
export class BackupError extends Error {}

/** What a copy holds, to print after a backup or before a restore. */
export interface BackupSummary {
  file: string;
  bytes: number;
  sessions: number;
  schools: number;
}

function summaryOf(db: Database, file: string): BackupSummary {
  const count = (table: string) =>
    (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number } | undefined)?.n ?? 0;
  return { file, bytes: statSync(file).size, sessions: count('sessions'), schools: count('pronote_schools') };
}

/** Refuses a file that is not a sound database of this product. */
function checkCopy(db: Database, file: string): void {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok')
    throw new BackupError(`${file} est endommagé (contrôle d’intégrité : ${integrity}).`);
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'sessions')",
    )
    .all();
  if (tables.length < 2) throw new BackupError(`${file} n’est pas une sauvegarde de l’assistant.`);
}

/**
 * Copies the live database into `file` with SQLite's online backup, while servers go on reading and
 * writing it; the copy is written beside `file` first and renamed once checked, so `file` is never half
 * written.
 */
export async function backupSqlite(dataDir: string, file: string): Promise<BackupSummary> {
  const source = databaseFile(dataDir);
  if (!existsSync(source)) throw new BackupError(`Aucune base à sauvegarder dans ${dataDir}.`);
  const db = new BetterSqlite3(source, { fileMustExist: true });
  const partial = join(dirname(file), `.${basename(file)}.partiel`);
  try {
    db.pragma('busy_timeout = 5000');
    // All remaining pages in the second step: a write by a server in between restarts the copy, and one
    // step leaves no room for another.
    await db.backup(partial, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  const copy = new BetterSqlite3(partial);
  try {
    // One self-contained file: the copy does not keep the live database's WAL mode and its side files.
    copy.pragma('journal_mode = DELETE');
    checkCopy(copy, partial);
  } finally {
    copy.close();
  }
  renameSync(partial, file);
  const done = new BetterSqlite3(file, { readonly: true });
  try {
    return summaryOf(done, file);
  } finally {
    done.close();
  }
}

/**
 * Whether a process (a server) has the database open: leaving WAL mode needs every other connection
 * gone, so the attempt answers without waiting and changes nothing when it fails.
 */
function inUse(file: string): boolean {
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    return db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete';
  } catch {
    return true;
  } finally {
    db.close();
  }
}

/**
 * Puts a backup back in place of the database of `dataDir`, the servers stopped. The backup is checked
 * first (integrity, a database of this product, no schema step this build does not know); the database it
 * replaces is kept beside it, renamed, so the restore can itself be undone.
 */
export async function restoreSqlite(
  dataDir: string,
  file: string,
  upgrade: (candidateDir: string) => Promise<void>,
): Promise<BackupSummary & { previous: string | null }> {
  if (!existsSync(file)) throw new BackupError(`Fichier introuvable : ${file}.`);
  const live = databaseFile(dataDir);
  if (existsSync(live) && inUse(live)) {
    throw new BackupError(
      'La base est ouverte par un serveur : arrêtez chaque instance avant de restaurer (la sauvegarde, elle, se fait serveur en marche).',
    );
  }
  let source: Database;
  try {
    source = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    checkCopy(source, file);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} n’est pas une base SQLite lisible.`);
  }
  // The candidate gets its own folder in DATA_DIR: the same disk, so the final rename is atomic.
  const candidateDir = join(dataDir, `.restauration-${process.pid}`);
  const candidate = databaseFile(candidateDir);
  try {
    try {
      rmSync(candidateDir, { recursive: true, force: true });
      mkdirSync(candidateDir, { recursive: true, mode: 0o700 });
      await source.backup(candidate);
    } finally {
      source.close();
    }
    // Brought up to this build's schema now, so the first start after the restore has nothing to do.
    await upgrade(candidateDir);
    const newer = schemaNewerThanBuild(candidate);
    if (newer.length > 0) {
      throw new BackupError(
        `${file} vient d’une version plus récente de l’assistant (schéma : ${newer.join(', ')}) : mettez l’assistant à jour avant de la restaurer.`,
      );
    }
    const previous = existsSync(live)
      ? `${live}.avant-restauration-${new Date().toISOString().replace(/[:.]/g, '-')}`
      : null;
    if (previous) renameSync(live, previous);
    for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
    renameSync(candidate, live);
    const done = new BetterSqlite3(live, { readonly: true });
    try {
      return { ...summaryOf(done, file), previous };
    } finally {
      done.close();
    }
  } finally {
    rmSync(candidateDir, { recursive: true, force: true });
  }
}

/** The scopes whose applied steps go beyond what this build knows (registered by `upgrade` opening the stores). */
function schemaNewerThanBuild(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const rows = db
      .prepare('SELECT scope, MAX(version) AS version FROM schema_migrations GROUP BY scope')
      .all() as Array<{ scope: string; version: number }>;
    return rows
      .filter((row) => knownSchema.has(row.scope) && row.version > (knownSchema.get(row.scope) ?? 0))
      .map((row) => row.scope);
  } finally {
    db.close();
  }
}
