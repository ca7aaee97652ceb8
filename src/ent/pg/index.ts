import { foldText } from '../../pronote/normalise.js';
import { escapeLike, likeFragment } from '../../pronote/search-keys.js';
import { migratePg, type PgPool, withTransaction } from '../../store/pg/pool.js';
import type { EntDirectory, EntLoader } from '../port.js';
import { type EntRow, profilesColumn, toEntAccount } from '../rows.js';

// COLLATE "C": `lower()` then folds ASCII letters only and sorting is byte order, which is what SQLite's
// NOCASE login and BINARY search key do; the two adapters find and order the same accounts.
const MIGRATIONS = [
  `CREATE TABLE ent_accounts (
     uai TEXT NOT NULL,
     login TEXT COLLATE "C" NOT NULL,
     nom TEXT NOT NULL,
     prenom TEXT NOT NULL,
     date_naissance TEXT,
     profiles TEXT NOT NULL,
     search_key TEXT COLLATE "C" NOT NULL
   );
   CREATE UNIQUE INDEX ent_accounts_school_login ON ent_accounts (uai, lower(login));
   CREATE INDEX ent_accounts_login ON ent_accounts (lower(login));
   CREATE INDEX ent_accounts_school_key ON ent_accounts (uai, search_key);`,
  `ALTER TABLE ent_accounts ADD COLUMN nom_naissance TEXT;
   ALTER TABLE ent_accounts ADD COLUMN code_postal TEXT;`,
  `ALTER TABLE ent_accounts ADD COLUMN pronote_ent_id TEXT;`,
];

const DEFAULT_LIMIT = 50;
const COLUMNS =
  'uai, login, nom, prenom, date_naissance, profiles, nom_naissance, code_postal, pronote_ent_id';

/** The ENT directory in PostgreSQL, shared by several instances. */
export async function pgEntDirectory(pool: PgPool): Promise<EntDirectory & EntLoader> {
  await migratePg(pool, 'ent', MIGRATIONS);
  const many = async (sql: string, params: unknown[]) =>
    (await pool.query<EntRow>(sql, params)).rows.map(toEntAccount);

  return {
    findByLogin: async (uai, login) => {
      const [account] =
        uai === null
          ? await many(
              `SELECT ${COLUMNS} FROM ent_accounts WHERE lower(login) = lower($1 COLLATE "C") ORDER BY uai LIMIT 1`,
              [login.trim()],
            )
          : await many(
              `SELECT ${COLUMNS} FROM ent_accounts WHERE uai = $1 AND lower(login) = lower($2 COLLATE "C")`,
              [uai, login.trim()],
            );
      return account ?? null;
    },
    /** Every word must appear in the folded nom or prénom, or the text starts a login. */
    search: async (uai, text, limit = DEFAULT_LIMIT) => {
      const words = foldText(text).split(' ').filter(Boolean);
      if (words.length === 0) return [];
      const byName = words.map((_, i) => `search_key LIKE $${i + 4}`).join(' AND ');
      return many(
        `SELECT ${COLUMNS} FROM ent_accounts
         WHERE uai = $1 AND ((${byName}) OR lower(login) LIKE lower($2 COLLATE "C"))
         ORDER BY search_key, lower(login) LIMIT $3`,
        [
          uai,
          `${escapeLike(text.trim())}%`,
          Math.min(500, Math.max(1, Math.trunc(limit) || 1)),
          ...words.map(likeFragment),
        ],
      );
    },
    listSchool: (uai) =>
      many(`SELECT ${COLUMNS} FROM ent_accounts WHERE uai = $1 ORDER BY search_key, lower(login)`, [uai]),
    replaceSchool: async (uai, accounts) => {
      await withTransaction(pool, async (client) => {
        // Two imports of one school at once run one after the other instead of clashing on the logins.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ent:${uai}`]);
        await client.query('DELETE FROM ent_accounts WHERE uai = $1', [uai]);
        // One statement for the whole school: an export holds thousands of accounts.
        await client.query(
          `INSERT INTO ent_accounts (uai, login, nom, prenom, date_naissance, profiles, search_key, nom_naissance,
             code_postal, pronote_ent_id)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
             $8::text[], $9::text[], $10::text[])`,
          [
            uai,
            accounts.map((a) => a.login.trim()),
            accounts.map((a) => a.nom),
            accounts.map((a) => a.prenom),
            accounts.map((a) => a.dateNaissance),
            // Joined with « ; » as an Open ENT NG CAS sends its categories.
            accounts.map((a) => profilesColumn(a.profiles)),
            accounts.map((a) => `${foldText(a.nom)} ${foldText(a.prenom)}`),
            accounts.map((a) => a.nomNaissance ?? null),
            accounts.map((a) => a.codePostal ?? null),
            accounts.map((a) => a.pronoteEntId ?? null),
          ],
        );
      });
    },
  };
}
