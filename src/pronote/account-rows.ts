import type { Profile, PronoteAccount } from './model.js';

/**
 * An account as both adapters store it; `Flag` is how « Esp. par. » comes back: 0/1 from SQLite, a boolean
 * from PostgreSQL.
 */
export interface StoredAccount<Flag> {
  pk: number;
  uai: string;
  id: string;
  profile: Profile;
  nom: string;
  prenom: string;
  date_naissance: string | null;
  cas_id: string | null;
  pronote_ent_id: string | null;
  classe: string | null;
  espace_parents: Flag | null;
  email: string | null;
  version: number;
  nom_naissance: string | null;
  code_postal: string | null;
}

export const accountFromRow = <Flag>(
  r: StoredAccount<Flag>,
  isSet: (flag: Flag) => boolean,
): PronoteAccount => ({
  id: r.id,
  uai: r.uai,
  profile: r.profile,
  nom: r.nom,
  prenom: r.prenom,
  dateNaissance: r.date_naissance,
  casId: r.cas_id,
  pronoteEntId: r.pronote_ent_id,
  classe: r.classe,
  espaceParents: r.espace_parents === null ? null : isSet(r.espace_parents),
  email: r.email,
  version: r.version,
  // Present only when a national file gave them: most schools load PRONOTE lists alone.
  ...(r.nom_naissance === null ? {} : { nomNaissance: r.nom_naissance }),
  ...(r.code_postal === null ? {} : { codePostal: r.code_postal }),
});

/** Rows of linked accounts, each with the id of the account it was asked for, grouped under that id. */
export function groupByOwner<Row extends { of_id: string }>(
  ids: readonly string[],
  rows: readonly Row[],
  toAccount: (row: Row) => PronoteAccount,
): Map<string, PronoteAccount[]> {
  const groups = new Map<string, PronoteAccount[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(row.of_id)?.push(toAccount(row));
  return groups;
}
