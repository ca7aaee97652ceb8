import type { Profile } from '../pronote/model.js';
import type { AafIdentity } from './aaf-port.js';

/** An AAF identity as both adapters store it. */
export interface AafRow {
  uai: string;
  source_id: string;
  profile: string;
  nom: string;
  nom_naissance: string | null;
  prenom: string;
  date_naissance: string | null;
  code_postal: string | null;
}

export const toAafIdentity = (r: AafRow): AafIdentity => ({
  uai: r.uai,
  sourceId: r.source_id,
  // Written from a Profile only.
  profile: r.profile as Profile,
  nom: r.nom,
  nomNaissance: r.nom_naissance,
  prenom: r.prenom,
  dateNaissance: r.date_naissance,
  codePostal: r.code_postal,
});
