import type { Database } from 'better-sqlite3';
import type { Synchronous } from '../../store/sqlite/promised.js';
import { SchoolExistsError } from '../errors.js';
import { PROFILES, type Profile, type SchoolLoad } from '../model.js';
import type { PronoteLoader } from '../port.js';
import { DEFAULT_ESPACES } from '../write-rules.js';
import { accountRows, publicationRows } from './schema.js';

export function sqliteLoader(db: Database): Synchronous<PronoteLoader> {
  const rows = accountRows(db);
  const publications = publicationRows(db);
  const school = db.prepare<[string], { uai: string }>('SELECT uai FROM pronote_schools WHERE uai = ?');
  const insertSchool = db.prepare('INSERT INTO pronote_schools (uai, name, base_published) VALUES (?, ?, ?)');
  const renameSchool = db.prepare('UPDATE pronote_schools SET name = ? WHERE uai = ?');
  const versions = db.prepare<[string], { id: string; version: number }>(
    'SELECT id, version FROM pronote_accounts WHERE uai = ?',
  );
  const deleteAccounts = db.prepare('DELETE FROM pronote_accounts WHERE uai = ?');
  const insertLink = db.prepare(
    'INSERT OR IGNORE INTO pronote_links (eleve_pk, responsable_pk) VALUES (?, ?)',
  );
  // The search indexes enforce nothing: a load bigger than what the base holds builds them once, sorted,
  // after its rows, rather than updating each of them row by row (half an import's time otherwise).
  const searchIndexes = db.prepare<[], { name: string; sql: string }>(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN ('pronote_accounts', 'pronote_nom_parts', 'pronote_links')
       AND sql NOT LIKE 'CREATE UNIQUE%'`,
  );
  const highestPk = db.prepare<[], { pk: number | null }>('SELECT MAX(pk) AS pk FROM pronote_accounts');

  const load = db.transaction(
    ({ school: s, accounts, links, publication }: SchoolLoad, { replace }: { replace: boolean }) => {
      // A replaced account keeps counting its versions, so a fix prepared on the old data is refused.
      const previous = new Map<string, number>();
      if (school.get(s.uai)) {
        if (!replace) throw new SchoolExistsError(s.uai);
        for (const v of versions.all(s.uai)) previous.set(v.id, v.version);
        deleteAccounts.run(s.uai);
        renameSchool.run(s.name, s.uai);
        if (publication) publications.write(s.uai, publication.basePublished, publication.espaces);
      } else {
        insertSchool.run(s.uai, s.name, (publication?.basePublished ?? true) ? 1 : 0);
        publications.init(s.uai, publication?.espaces ?? DEFAULT_ESPACES);
      }

      const rebuilt = accounts.length >= (highestPk.get()?.pk ?? 0) ? searchIndexes.all() : [];
      for (const index of rebuilt) db.exec(`DROP INDEX "${index.name}"`);

      const pks = new Map<string, number>();
      const counts = Object.fromEntries(PROFILES.map((p) => [p, 0])) as Record<Profile, number>;
      for (const a of accounts) {
        pks.set(a.id, rows.insert(s.uai, a, (previous.get(a.id) ?? 0) + 1));
        counts[a.profile] += 1;
      }
      for (const { eleveId, responsableId } of links) {
        const e = pks.get(eleveId);
        const r = pks.get(responsableId);
        if (e !== undefined && r !== undefined) insertLink.run(e, r);
      }
      for (const index of rebuilt) db.exec(index.sql);
      return counts;
    },
  );
  return {
    // The write lock from BEGIN: a second process loading the same school at once waits, then finds it
    // there (SchoolExistsError) instead of failing on a read snapshot that went stale.
    loadSchool: (data, options) => load.immediate(data, options),
  };
}
