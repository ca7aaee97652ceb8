import type { Profile } from '../pronote/model.js';

/**
 * The ENT directory port: who exists in the ENT, under which login, with the identity its CAS sends to
 * PRONOTE (nom, prénom, date de naissance, profiles). Read-only: the assistant fixes PRONOTE, not the ENT.
 */

export interface EntAccount {
  login: string;
  uai: string;
  nom: string;
  prenom: string;
  /** AAAA-MM-JJ. */
  dateNaissance: string | null;
  /** Several for a person who is, say, professeur and parent in the same school. */
  profiles: Profile[];
  /** The birth name when the ENT's `sn` is a usage name (AAF `ENTPersonNomPatro`); absent when unknown. */
  nomNaissance?: string | null;
  /** The CAS `codePostal` attribute (AAF `ENTPersonCodePostal`); absent when unknown. */
  codePostal?: string | null;
  /**
   * The « Identifiant PRONOTE-ENT » the ENT got from a PRONOTE export and sends through CAS, where the
   * ENT's export carries it; absent when unknown.
   */
  pronoteEntId?: string | null;
}

export interface EntDirectory {
  /** `uai: null` looks in every school: a login is unique across the ENT. */
  findByLogin(uai: string | null, login: string): Promise<EntAccount | null>;
  /** By a fragment of nom or prénom (case and accents ignored) or the start of a login. */
  search(uai: string, text: string, limit?: number): Promise<EntAccount[]>;
  listSchool(uai: string): Promise<EntAccount[]>;
}

/** Filling the directory, for the demo seed and the import CLI; not used by the flows. */
export interface EntLoader {
  /** Replaces every ENT account of the school with these. */
  replaceSchool(uai: string, accounts: readonly EntAccount[]): Promise<void>;
}
