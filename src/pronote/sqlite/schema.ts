import type { Database } from 'better-sqlite3';
import { migrate } from '../../store/sqlite/migrate.js';
import { accountFromRow, type StoredAccount } from '../account-rows.js';
import { ESPACES, type Espace, type NewAccount, type PronoteAccount, type Publication } from '../model.js';
import { otherNomKey, searchKeys } from '../search-keys.js';
import { ACCOUNT_COLUMNS, type AccountPatch, isAccountField } from '../write-rules.js';

/**
 * Tables of the PRONOTE adapter, and the row-level helpers its reads, writes and loads share.
 * `pk` is internal (links and name parts point to it); `(uai, id)` is what the port speaks.
 */
const MIGRATIONS = [
  `CREATE TABLE pronote_schools (
     uai TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     base_published INTEGER NOT NULL,
     publication_version INTEGER NOT NULL DEFAULT 1
   );
   CREATE TABLE pronote_espaces (
     uai TEXT NOT NULL REFERENCES pronote_schools (uai) ON DELETE CASCADE,
     espace TEXT NOT NULL,
     published INTEGER NOT NULL,
     PRIMARY KEY (uai, espace)
   ) WITHOUT ROWID;
   CREATE TABLE pronote_accounts (
     pk INTEGER PRIMARY KEY,
     uai TEXT NOT NULL REFERENCES pronote_schools (uai) ON DELETE CASCADE,
     id TEXT NOT NULL,
     profile TEXT NOT NULL CHECK (profile IN ('eleve', 'responsable', 'professeur', 'personnel')),
     nom TEXT NOT NULL,
     prenom TEXT NOT NULL,
     date_naissance TEXT,
     -- CAS servers compare logins without case: « Florence.Gervais » is florence.gervais's login.
     cas_id TEXT COLLATE NOCASE,
     pronote_ent_id TEXT,
     classe TEXT,
     espace_parents INTEGER,
     email TEXT,
     version INTEGER NOT NULL DEFAULT 1,
     nom_key TEXT NOT NULL,
     prenom_key TEXT NOT NULL,
     prenom_first TEXT NOT NULL,
     UNIQUE (uai, id)
   );
   CREATE UNIQUE INDEX pronote_accounts_cas_id ON pronote_accounts (uai, cas_id) WHERE cas_id IS NOT NULL;
   CREATE INDEX pronote_accounts_ent_id ON pronote_accounts (uai, pronote_ent_id) WHERE pronote_ent_id IS NOT NULL;
   CREATE INDEX pronote_accounts_nom ON pronote_accounts (nom_key, prenom_first, uai);
   CREATE INDEX pronote_accounts_prenom_date ON pronote_accounts (prenom_key, date_naissance, uai);
   CREATE INDEX pronote_accounts_school ON pronote_accounts (uai, profile, nom_key, prenom_key);
   CREATE TABLE pronote_nom_parts (
     part TEXT NOT NULL,
     uai TEXT NOT NULL,
     account_pk INTEGER NOT NULL REFERENCES pronote_accounts (pk) ON DELETE CASCADE,
     PRIMARY KEY (part, uai, account_pk)
   ) WITHOUT ROWID;
   CREATE INDEX pronote_nom_parts_account ON pronote_nom_parts (account_pk);
   CREATE TABLE pronote_links (
     eleve_pk INTEGER NOT NULL REFERENCES pronote_accounts (pk) ON DELETE CASCADE,
     responsable_pk INTEGER NOT NULL REFERENCES pronote_accounts (pk) ON DELETE CASCADE,
     PRIMARY KEY (eleve_pk, responsable_pk)
   ) WITHOUT ROWID;
   CREATE INDEX pronote_links_responsable ON pronote_links (responsable_pk);`,
  // Both noms and the postcode, as SIECLE and STS give them: what PRONOTE compares identities with.
  `ALTER TABLE pronote_accounts ADD COLUMN nom_naissance TEXT;
   ALTER TABLE pronote_accounts ADD COLUMN code_postal TEXT;`,
  // The other nom folded, so that a person is found under either nom (filled by `fillOtherNomKeys`).
  `ALTER TABLE pronote_accounts ADD COLUMN nom_naissance_key TEXT;
   CREATE INDEX pronote_accounts_nom_naissance ON pronote_accounts (nom_naissance_key, uai)
     WHERE nom_naissance_key IS NOT NULL;`,
  // How the school's PRONOTE.net recognises ENT users (school-settings.ts); a school already here keeps
  // the mode of the FAQ's case A, by identity.
  `ALTER TABLE pronote_schools ADD COLUMN identification_mode TEXT NOT NULL DEFAULT 'identity'
     CHECK (identification_mode IN ('identity', 'pronote-ent-id', 'double-auth'));
   ALTER TABLE pronote_schools ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 1;`,
];

/** The step that added `nom_naissance_key`: a base older than it gets its keys computed once. */
const OTHER_NOM_STEP = 3;

export function migratePronote(db: Database): void {
  const applied = migrate(db, 'pronote', MIGRATIONS);
  if (applied > 0 && applied < OTHER_NOM_STEP) fillOtherNomKeys(db);
}

/** SQL cannot fold a name as `searchKeys` does: the keys of the accounts loaded before the column are set here. */
function fillOtherNomKeys(db: Database): void {
  const rows = db
    .prepare<[], { pk: number; nom_naissance: string; prenom: string }>(
      'SELECT pk, nom_naissance, prenom FROM pronote_accounts WHERE nom_naissance IS NOT NULL',
    )
    .all();
  const set = db.prepare('UPDATE pronote_accounts SET nom_naissance_key = ? WHERE pk = ?');
  db.transaction(() => {
    for (const r of rows) set.run(otherNomKey(r.nom_naissance), r.pk);
  })();
}

export type AccountRow = StoredAccount<number>;

export const toAccount = (r: AccountRow): PronoteAccount => accountFromRow(r, (flag) => flag === 1);

/** Row-level statements shared by the adapter's parts, prepared once per database. */
export function accountRows(db: Database) {
  const byId = db.prepare<[string, string], AccountRow>(
    'SELECT * FROM pronote_accounts WHERE uai = ? AND id = ?',
  );
  const deleteParts = db.prepare('DELETE FROM pronote_nom_parts WHERE account_pk = ?');
  const insertPart = db.prepare(
    'INSERT OR IGNORE INTO pronote_nom_parts (part, uai, account_pk) VALUES (?, ?, ?)',
  );
  const writeKeys = db.prepare(
    'UPDATE pronote_accounts SET nom_key = ?, prenom_key = ?, prenom_first = ? WHERE pk = ?',
  );

  // Positional: an import binds it a hundred thousand times, and a named binding reads an object each time.
  const insertAccount = db.prepare(
    `INSERT INTO pronote_accounts (uai, id, profile, nom, prenom, date_naissance, cas_id, pronote_ent_id, classe,
       espace_parents, email, version, nom_key, prenom_key, prenom_first, nom_naissance, code_postal,
       nom_naissance_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  /** Recomputes the search keys after the nom or prénom changed. */
  const indexName = (pk: number, uai: string, nom: string, prenom: string) => {
    const keys = searchKeys(nom, prenom);
    writeKeys.run(keys.nomKey, keys.prenomKey, keys.prenomFirst, pk);
    deleteParts.run(pk);
    for (const part of keys.nomParts) insertPart.run(part, uai, pk);
  };

  return {
    get: (uai: string, id: string): AccountRow | null => byId.get(uai, id) ?? null,
    /** Adds an account with its search keys; returns its pk. */
    insert: (uai: string, a: NewAccount, version: number): number => {
      const keys = searchKeys(a.nom, a.prenom);
      const espaceParents = a.espaceParents === null ? null : a.espaceParents ? 1 : 0;
      const info = insertAccount.run(
        uai,
        a.id,
        a.profile,
        a.nom,
        a.prenom,
        a.dateNaissance,
        a.casId,
        a.pronoteEntId,
        a.classe,
        espaceParents,
        a.email,
        version,
        keys.nomKey,
        keys.prenomKey,
        keys.prenomFirst,
        a.nomNaissance ?? null,
        a.codePostal ?? null,
        otherNomKey(a.nomNaissance),
      );
      const pk = Number(info.lastInsertRowid);
      for (const part of keys.nomParts) insertPart.run(part, uai, pk);
      return pk;
    },
    /** Writes the patch and bumps the version; the caller has checked the version it expected. */
    update: (row: AccountRow, patch: AccountPatch): AccountRow => {
      const fields = Object.keys(patch).filter(isAccountField);
      const sets = fields.map((f) => `${ACCOUNT_COLUMNS[f]} = ?`);
      const values = fields.map((f) => {
        const v = patch[f] ?? null;
        return typeof v === 'boolean' ? (v ? 1 : 0) : v;
      });
      db.prepare(
        `UPDATE pronote_accounts SET ${[...sets, 'version = version + 1'].join(', ')} WHERE pk = ?`,
      ).run(...values, row.pk);
      const next = byId.get(row.uai, row.id) as AccountRow;
      if (fields.includes('nom') || fields.includes('prenom'))
        indexName(next.pk, next.uai, next.nom, next.prenom);
      return next;
    },
  };
}

interface SchoolRow {
  uai: string;
  name: string;
  base_published: number;
  publication_version: number;
}

export function publicationRows(db: Database) {
  const school = db.prepare<[string], SchoolRow>('SELECT * FROM pronote_schools WHERE uai = ?');
  const espaces = db.prepare<[string], { espace: string; published: number }>(
    'SELECT espace, published FROM pronote_espaces WHERE uai = ?',
  );
  const setEspace = db.prepare(
    `INSERT INTO pronote_espaces (uai, espace, published) VALUES (?, ?, ?)
     ON CONFLICT (uai, espace) DO UPDATE SET published = excluded.published`,
  );
  const setBase = db.prepare(
    'UPDATE pronote_schools SET base_published = ?, publication_version = publication_version + 1 WHERE uai = ?',
  );

  const get = (uai: string): Publication | null => {
    const row = school.get(uai);
    if (!row) return null;
    const open = new Map(espaces.all(uai).map((e) => [e.espace, e.published === 1]));
    const all = Object.fromEntries(ESPACES.map((e) => [e, open.get(e) ?? false])) as Record<Espace, boolean>;
    return { uai, basePublished: row.base_published === 1, espaces: all, version: row.publication_version };
  };

  const setEspaces = (uai: string, open: Partial<Record<Espace, boolean>>) => {
    for (const [espace, published] of Object.entries(open)) setEspace.run(uai, espace, published ? 1 : 0);
  };

  return {
    get,
    /** The console of a school just created: its first state, at version 1. */
    init: setEspaces,
    /** Writes the console state and bumps its version once. */
    write: (uai: string, basePublished: boolean, open: Partial<Record<Espace, boolean>>): Publication => {
      setBase.run(basePublished ? 1 : 0, uai);
      setEspaces(uai, open);
      return get(uai) as Publication;
    },
  };
}
