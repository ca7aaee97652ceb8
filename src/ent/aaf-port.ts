import type { Profile } from '../pronote/model.js';

/**
 * What a region's AAF delivery (what the ENT is fed from) says of each school's people: the birth name,
 * birth date and postcode an ENT console export lacks, by `ENTPersonJointure` (the console's
 * « Identifiant SIECLE »). One row per person and school: a teacher in two collèges is in both.
 */
export interface AafIdentity {
  uai: string;
  sourceId: string;
  profile: Profile;
  nom: string;
  nomNaissance: string | null;
  prenom: string;
  /** AAAA-MM-JJ; null for most responsables, the AAF leaves it empty. */
  dateNaissance: string | null;
  codePostal: string | null;
}

export interface AafIdentities {
  /** A school's identities, by jointure then profile. */
  listSchool(uai: string): Promise<AafIdentity[]>;
  /**
   * Replaces the identities of every school the batches name with theirs, in one transaction: a delivery
   * refused half-way (a truncated file) leaves every school as it was; schools it does not name keep
   * theirs. The same person twice in one school keeps the first record.
   */
  loadRegion(batches: AsyncIterable<readonly AafIdentity[]>): Promise<{ schools: number; people: number }>;
}
