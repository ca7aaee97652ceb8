import { migratePg, type PgPool, type PgQueryable } from '../../store/pg/pool.js';
import { accountFromRow, type StoredAccount } from '../account-rows.js';
import { ESPACES, type Espace, type PronoteAccount, type Publication } from '../model.js';
import { otherNomKey, searchKeys } from '../search-keys.js';
import { ACCOUNT_COLUMNS, type AccountPatch, isAccountField } from '../write-rules.js';

/**
 * Tables of the PostgreSQL PRONOTE adapter, the twin of `sqlite/schema.ts`, and the row-level helpers its
 * reads, writes and loads share. Text that is sorted or compared is COLLATE "C": byte order, as SQLite
 * sorts, whatever the server's locale.
 */
const MIGRATIONS = [
  `CREATE TABLE pronote_schools (
     uai TEXT COLLATE "C" PRIMARY KEY,
     name TEXT NOT NULL,
     base_published BOOLEAN NOT NULL,
     publication_version INTEGER NOT NULL DEFAULT 1
   );
   CREATE TABLE pronote_espaces (
     uai TEXT COLLATE "C" NOT NULL REFERENCES pronote_schools (uai) ON DELETE CASCADE,
     espace TEXT COLLATE "C" NOT NULL,
     published BOOLEAN NOT NULL,
     PRIMARY KEY (uai, espace)
   );
   CREATE TABLE pronote_accounts (
     pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     uai TEXT COLLATE "C" NOT NULL REFERENCES pronote_schools (uai) ON DELETE CASCADE,
     id TEXT COLLATE "C" NOT NULL,
     profile TEXT COLLATE "C" NOT NULL CHECK (profile IN ('eleve', 'responsable', 'professeur', 'personnel')),
     nom TEXT NOT NULL,
     prenom TEXT NOT NULL,
     date_naissance TEXT COLLATE "C",
     cas_id TEXT COLLATE "C",
     pronote_ent_id TEXT COLLATE "C",
     classe TEXT,
     espace_parents BOOLEAN,
     email TEXT,
     version INTEGER NOT NULL DEFAULT 1,
     nom_key TEXT COLLATE "C" NOT NULL,
     prenom_key TEXT COLLATE "C" NOT NULL,
     prenom_first TEXT COLLATE "C" NOT NULL,
     UNIQUE (uai, id)
   );
   -- CAS servers compare logins without case, as SQLite's NOCASE does: lower() under "C" folds ASCII only.
   CREATE UNIQUE INDEX pronote_accounts_cas_id ON pronote_accounts (uai, lower(cas_id)) WHERE cas_id IS NOT NULL;
   CREATE INDEX pronote_accounts_ent_id ON pronote_accounts (uai, pronote_ent_id) WHERE pronote_ent_id IS NOT NULL;
   CREATE INDEX pronote_accounts_nom ON pronote_accounts (nom_key, prenom_first, uai);
   CREATE INDEX pronote_accounts_prenom_date ON pronote_accounts (prenom_key, date_naissance, uai);
   CREATE INDEX pronote_accounts_school ON pronote_accounts (uai, profile, nom_key, prenom_key);
   CREATE TABLE pronote_nom_parts (
     part TEXT COLLATE "C" NOT NULL,
     uai TEXT COLLATE "C" NOT NULL,
     account_pk BIGINT NOT NULL REFERENCES pronote_accounts (pk) ON DELETE CASCADE,
     PRIMARY KEY (part, uai, account_pk)
   );
   CREATE INDEX pronote_nom_parts_account ON pronote_nom_parts (account_pk);
   CREATE TABLE pronote_links (
     eleve_pk BIGINT NOT NULL REFERENCES pronote_accounts (pk) ON DELETE CASCADE,
     responsable_pk BIGINT NOT NULL REFERENCES pronote_accounts (pk) ON DELETE CASCADE,
     PRIMARY KEY (eleve_pk, responsable_pk)
   );
   CREATE INDEX pronote_links_responsable ON pronote_links (responsable_pk);`,
  // Both noms and the postcode, as SIECLE and STS give them: what PRONOTE compares identities with.
  `ALTER TABLE pronote_accounts ADD COLUMN nom_naissance TEXT;
   ALTER TABLE pronote_accounts ADD COLUMN code_postal TEXT;`,
  // The other nom folded, so that a person is found under either nom (filled by `fillOtherNomKeys`).
  `ALTER TABLE pronote_accounts ADD COLUMN nom_naissance_key TEXT COLLATE "C";
   CREATE INDEX pronote_accounts_nom_naissance ON pronote_accounts (nom_naissance_key, uai)
     WHERE nom_naissance_key IS NOT NULL;`,
  // How the school's PRONOTE.net recognises ENT users (school-settings.ts); a school already here keeps
  // the mode of the FAQ's case A, by identity.
  `ALTER TABLE pronote_schools ADD COLUMN identification_mode TEXT COLLATE "C" NOT NULL DEFAULT 'identity'
     CHECK (identification_mode IN ('identity', 'pronote-ent-id', 'double-auth'));
   ALTER TABLE pronote_schools ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 1;`,
];

/** The step that added `nom_naissance_key`: a base older than it gets its keys computed once. */
const OTHER_NOM_STEP = 3;

export async function migratePronotePg(pool: PgPool): Promise<void> {
  const applied = await migratePg(pool, 'pronote', MIGRATIONS);
  if (applied > 0 && applied < OTHER_NOM_STEP) await fillOtherNomKeys(pool);
}

/** SQL cannot fold a name as `searchKeys` does: the keys of the accounts loaded before the column are set here. */
async function fillOtherNomKeys(pool: PgPool): Promise<void> {
  const { rows } = await pool.query<{ pk: number; nom_naissance: string }>(
    'SELECT pk, nom_naissance FROM pronote_accounts WHERE nom_naissance IS NOT NULL',
  );
  await pool.query(
    `UPDATE pronote_accounts a SET nom_naissance_key = v.k FROM unnest($1::bigint[], $2::text[]) AS v(pk, k)
     WHERE a.pk = v.pk`,
    [rows.map((r) => r.pk), rows.map((r) => otherNomKey(r.nom_naissance))],
  );
}

/** The login as the CAS index compares it: `lower()` of a text parameter, under "C" like the column. */
export const casKey = (param: string) => `lower(${param}::text COLLATE "C")`;

export type AccountRow = StoredAccount<boolean>;

export const toAccount = (r: AccountRow): PronoteAccount => accountFromRow(r, (flag) => flag);

export async function getAccountRow(q: PgQueryable, uai: string, id: string): Promise<AccountRow | null> {
  const { rows } = await q.query<AccountRow>('SELECT * FROM pronote_accounts WHERE uai = $1 AND id = $2', [
    uai,
    id,
  ]);
  return rows[0] ?? null;
}

/** Writes the patch and bumps the version, with the search keys when the name changed. */
export async function updateAccount(
  q: PgQueryable,
  row: AccountRow,
  patch: AccountPatch,
): Promise<AccountRow> {
  const fields = Object.keys(patch).filter(isAccountField);
  const values: unknown[] = fields.map((f) => patch[f] ?? null);
  const sets = fields.map((f, i) => `${ACCOUNT_COLUMNS[f]} = $${i + 1}`);
  const renamed = fields.includes('nom') || fields.includes('prenom');
  const nom = typeof patch.nom === 'string' ? patch.nom : row.nom;
  const prenom = typeof patch.prenom === 'string' ? patch.prenom : row.prenom;
  const keys = searchKeys(nom, prenom);
  if (renamed) {
    values.push(keys.nomKey, keys.prenomKey, keys.prenomFirst);
    const n = values.length;
    sets.push(`nom_key = $${n - 2}`, `prenom_key = $${n - 1}`, `prenom_first = $${n}`);
  }
  values.push(row.pk);
  const { rows } = await q.query<AccountRow>(
    `UPDATE pronote_accounts SET ${[...sets, 'version = version + 1'].join(', ')} WHERE pk = $${values.length} RETURNING *`,
    values,
  );
  const next = rows[0] as AccountRow;
  if (renamed) {
    await q.query('DELETE FROM pronote_nom_parts WHERE account_pk = $1', [row.pk]);
    await q.query(
      `INSERT INTO pronote_nom_parts (part, uai, account_pk) SELECT unnest($1::text[]), $2, $3
       ON CONFLICT DO NOTHING`,
      [keys.nomParts, row.uai, row.pk],
    );
  }
  return next;
}

interface SchoolRow {
  base_published: boolean;
  publication_version: number;
}

/**
 * The school's console. `lock` takes its row for a write (the console and its version); account writes
 * only share-lock it, so that a reload of the school waits for them and they for it.
 */
export async function getPublication(
  q: PgQueryable,
  uai: string,
  lock: 'FOR NO KEY UPDATE' | '' = '',
): Promise<Publication | null> {
  const school = await q.query<SchoolRow>(
    `SELECT base_published, publication_version FROM pronote_schools WHERE uai = $1 ${lock}`,
    [uai],
  );
  const row = school.rows[0];
  if (!row) return null;
  const { rows } = await q.query<{ espace: string; published: boolean }>(
    'SELECT espace, published FROM pronote_espaces WHERE uai = $1',
    [uai],
  );
  const open = new Map(rows.map((e) => [e.espace, e.published]));
  const all = Object.fromEntries(ESPACES.map((e) => [e, open.get(e) ?? false])) as Record<Espace, boolean>;
  return { uai, basePublished: row.base_published, espaces: all, version: row.publication_version };
}

export async function setEspaces(
  q: PgQueryable,
  uai: string,
  open: Partial<Record<Espace, boolean>>,
): Promise<void> {
  const entries = Object.entries(open);
  if (entries.length === 0) return;
  await q.query(
    `INSERT INTO pronote_espaces (uai, espace, published) SELECT $1, * FROM unnest($2::text[], $3::boolean[])
     ON CONFLICT (uai, espace) DO UPDATE SET published = excluded.published`,
    [uai, entries.map(([e]) => e), entries.map(([, published]) => published === true)],
  );
}

/** Writes the console state and bumps its version once. */
export async function writePublication(
  q: PgQueryable,
  uai: string,
  basePublished: boolean,
  open: Partial<Record<Espace, boolean>>,
): Promise<Publication> {
  await q.query(
    'UPDATE pronote_schools SET base_published = $1, publication_version = publication_version + 1 WHERE uai = $2',
    [basePublished, uai],
  );
  await setEspaces(q, uai, open);
  return (await getPublication(q, uai)) as Publication;
}
