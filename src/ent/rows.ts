import { PROFILES, type Profile } from '../pronote/model.js';
import type { EntAccount } from './port.js';

/** An ENT account as both adapters store it: the profiles joined by `;`. */
export interface EntRow {
  uai: string;
  login: string;
  nom: string;
  prenom: string;
  date_naissance: string | null;
  profiles: string;
  nom_naissance: string | null;
  code_postal: string | null;
  pronote_ent_id: string | null;
}

const isProfile = (p: string): p is Profile => (PROFILES as readonly string[]).includes(p);

export const toEntAccount = (r: EntRow): EntAccount => ({
  login: r.login,
  uai: r.uai,
  nom: r.nom,
  prenom: r.prenom,
  dateNaissance: r.date_naissance,
  profiles: r.profiles.split(';').filter(isProfile),
  ...(r.nom_naissance === null ? {} : { nomNaissance: r.nom_naissance }),
  ...(r.code_postal === null ? {} : { codePostal: r.code_postal }),
  ...(r.pronote_ent_id === null || r.pronote_ent_id === undefined ? {} : { pronoteEntId: r.pronote_ent_id }),
});

export const profilesColumn = (profiles: readonly Profile[]): string => profiles.join(';');
