import type { Database } from 'better-sqlite3';
import { foldText } from '../../pronote/normalise.js';
import { escapeLike, likeFragment } from '../../pronote/search-keys.js';
import { migrate } from '../../store/sqlite/migrate.js';
import { promised, type Synchronous } from '../../store/sqlite/promised.js';
import type { EntAccount, EntDirectory, EntLoader } from '../port.js';
import { type EntRow, profilesColumn, toEntAccount } from '../rows.js';

const MIGRATIONS = [
  `CREATE TABLE ent_accounts (
     uai TEXT NOT NULL,
     login TEXT NOT NULL COLLATE NOCASE,
     nom TEXT NOT NULL,
     prenom TEXT NOT NULL,
     date_naissance TEXT,
     profiles TEXT NOT NULL,
     search_key TEXT NOT NULL,
     PRIMARY KEY (uai, login)
   );
   CREATE INDEX ent_accounts_login ON ent_accounts (login);`,
  `ALTER TABLE ent_accounts ADD COLUMN nom_naissance TEXT;
   ALTER TABLE ent_accounts ADD COLUMN code_postal TEXT;`,
  `ALTER TABLE ent_accounts ADD COLUMN pronote_ent_id TEXT;`,
];

const DEFAULT_LIMIT = 50;

/** The ENT directory as loaded from an ENT export (or the demo), beside the PRONOTE data. */
export function sqliteEntDirectory(db: Database): EntDirectory & EntLoader {
  migrate(db, 'ent', MIGRATIONS);
  const inSchool = db.prepare<[string, string], EntRow>(
    'SELECT * FROM ent_accounts WHERE uai = ? AND login = ?',
  );
  const anywhere = db.prepare<[string], EntRow>(
    'SELECT * FROM ent_accounts WHERE login = ? ORDER BY uai LIMIT 1',
  );
  const school = db.prepare<[string], EntRow>(
    'SELECT * FROM ent_accounts WHERE uai = ? ORDER BY search_key, login',
  );
  const clear = db.prepare('DELETE FROM ent_accounts WHERE uai = ?');
  const insert = db.prepare(
    `INSERT INTO ent_accounts (uai, login, nom, prenom, date_naissance, profiles, search_key, nom_naissance, code_postal,
       pronote_ent_id)
     VALUES (@uai, @login, @nom, @prenom, @dateNaissance, @profiles, @searchKey, @nomNaissance, @codePostal,
       @pronoteEntId)`,
  );

  const replace = db.transaction((uai: string, accounts: readonly EntAccount[]) => {
    clear.run(uai);
    for (const a of accounts) {
      insert.run({
        uai,
        login: a.login.trim(),
        nom: a.nom,
        prenom: a.prenom,
        dateNaissance: a.dateNaissance,
        // Joined with « ; » as an Open ENT NG CAS sends its categories.
        profiles: profilesColumn(a.profiles),
        searchKey: `${foldText(a.nom)} ${foldText(a.prenom)}`,
        nomNaissance: a.nomNaissance ?? null,
        codePostal: a.codePostal ?? null,
        pronoteEntId: a.pronoteEntId ?? null,
      });
    }
  });

  const sync: Synchronous<EntDirectory & EntLoader> = {
    findByLogin: (uai, login) => {
      const row = uai === null ? anywhere.get(login.trim()) : inSchool.get(uai, login.trim());
      return row ? toEntAccount(row) : null;
    },
    /** Every word must appear in the folded nom or prénom, or the text starts a login. */
    search: (uai, text, limit = DEFAULT_LIMIT) => {
      const words = foldText(text).split(' ').filter(Boolean);
      if (words.length === 0) return [];
      const byName = words.map((_, i) => `search_key LIKE @w${i} ESCAPE '\\'`).join(' AND ');
      const params: Record<string, string | number> = {
        uai,
        login: `${escapeLike(text.trim())}%`,
        limit: Math.min(500, Math.max(1, Math.trunc(limit) || 1)),
        ...Object.fromEntries(words.map((w, i) => [`w${i}`, likeFragment(w)])),
      };
      return db
        .prepare<[Record<string, unknown>], EntRow>(
          `SELECT * FROM ent_accounts WHERE uai = @uai AND ((${byName}) OR login LIKE @login ESCAPE '\\')
           ORDER BY search_key, login LIMIT @limit`,
        )
        .all(params)
        .map(toEntAccount);
    },
    listSchool: (uai) => school.all(uai).map(toEntAccount),
    replaceSchool: (uai, accounts) => replace.immediate(uai, accounts),
  };
  return promised<EntDirectory & EntLoader>(sync);
}
