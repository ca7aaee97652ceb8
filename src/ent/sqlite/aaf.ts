import type { Database } from 'better-sqlite3';
import { migrate } from '../../store/sqlite/migrate.js';
import type { AafIdentities, AafIdentity } from '../aaf-port.js';
import { type AafRow, toAafIdentity } from '../aaf-rows.js';

const MIGRATIONS = [
  `CREATE TABLE aaf_identities (
     uai TEXT NOT NULL,
     source_id TEXT NOT NULL,
     profile TEXT NOT NULL,
     nom TEXT NOT NULL,
     nom_naissance TEXT,
     prenom TEXT NOT NULL,
     date_naissance TEXT,
     code_postal TEXT,
     PRIMARY KEY (uai, source_id, profile)
   ) WITHOUT ROWID;`,
];

/** Rows per INSERT: fewer statements to step through for a million people. */
const ROWS_PER_INSERT = 50;

export function sqliteAafIdentities(db: Database): AafIdentities {
  migrate(db, 'aaf', MIGRATIONS);
  const school = db.prepare<[string], AafRow>(
    'SELECT * FROM aaf_identities WHERE uai = ? ORDER BY source_id, profile',
  );
  const clear = db.prepare('DELETE FROM aaf_identities WHERE uai = ?');
  const insertSql = (rows: number) =>
    `INSERT OR IGNORE INTO aaf_identities (uai, source_id, profile, nom, nom_naissance, prenom, date_naissance, code_postal)
     VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
  const insertMany = db.prepare(insertSql(ROWS_PER_INSERT));
  const insertOne = db.prepare(insertSql(1));
  const values = (a: AafIdentity) => [
    a.uai,
    a.sourceId,
    a.profile,
    a.nom,
    a.nomNaissance,
    a.prenom,
    a.dateNaissance,
    a.codePostal,
  ];

  return {
    listSchool: async (uai) => school.all(uai).map(toAafIdentity),
    loadRegion: async (batches) => {
      const seen = new Set<string>();
      let people = 0;
      // One transaction across the batches as they are read: the write lock is held for the whole load.
      db.exec('BEGIN IMMEDIATE');
      try {
        for await (const batch of batches) {
          for (const a of batch) {
            if (!seen.has(a.uai)) {
              seen.add(a.uai);
              clear.run(a.uai);
            }
          }
          let at = 0;
          for (; at + ROWS_PER_INSERT <= batch.length; at += ROWS_PER_INSERT) {
            insertMany.run(batch.slice(at, at + ROWS_PER_INSERT).flatMap(values));
          }
          for (; at < batch.length; at += 1) insertOne.run(values(batch[at] as AafIdentity));
          people += batch.length;
        }
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
      return { schools: seen.size, people };
    },
  };
}
