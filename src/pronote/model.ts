/** The PRONOTE records the assistant keeps a copy of: schools, accounts, the PRONOTE.net console's state. */
import { ESPACES as FLOW_ESPACES, type Profile } from '../../flows/types.js';

export { PROFILES, type Profile } from '../../flows/types.js';

/**
 * The espaces PRONOTE.net publishes, each opened or closed in its console: those the flows offer to check,
 * and the Espace Entreprise, which no login case concerns.
 */
export const ESPACES = [...FLOW_ESPACES, 'entreprise'] as const;
export type Espace = (typeof ESPACES)[number];

export interface School {
  uai: string;
  name: string;
}

export interface PronoteAccount {
  /** Stable text id, unique within the school. */
  id: string;
  uai: string;
  profile: Profile;
  nom: string;
  prenom: string;
  /** « Né(e) le », AAAA-MM-JJ. */
  dateNaissance: string | null;
  /** « Identifiant CAS »: the ENT login PRONOTE stored after a first connection through the ENT. */
  casId: string | null;
  /** « Identifiant PRONOTE-ENT »: the code the ENT gets from an export to send back through CAS. */
  pronoteEntId: string | null;
  classe: string | null;
  /** « Accès à l'Espace Parents » (« Esp. par. »); null for every profile but responsable. */
  espaceParents: boolean | null;
  email: string | null;
  /**
   * The other nom, when a national file (SIECLE, STS) gives both: the birth name of a person PRONOTE shows
   * under a usage name, or the reverse. Absent when unknown. PRONOTE compares an identity with both.
   */
  nomNaissance?: string | null;
  /** The responsable's postcode (SIECLE address): what PRONOTE compares when there is no birth date. */
  codePostal?: string | null;
  /** Bumped on every write: a write names the version it read and is refused if it moved. */
  version: number;
}

/** State of the school's PRONOTE.net console. */
export interface Publication {
  uai: string;
  basePublished: boolean;
  espaces: Record<Espace, boolean>;
  version: number;
}

export interface Identity {
  nom: string;
  prenom: string;
  dateNaissance?: string | null;
}

/** An identity to look up: with the other nom (birth or usage) the ENT gives beside `nom`, when it does. */
export interface SearchIdentity extends Identity {
  nomNaissance?: string | null;
}

/** An account as a load brings it: the adapter sets the school and starts its version at 1. */
export type NewAccount = Omit<PronoteAccount, 'uai' | 'version'>;

/**
 * An account as a load brings it, with what PRONOTE leaves empty unless told: the one builder of the demo
 * data and of the tests' schools. « Accès à l'Espace Parents » is ticked for a responsable, as PRONOTE
 * ticks it for the legal ones.
 */
export function newAccount(
  id: string,
  profile: Profile,
  nom: string,
  prenom: string,
  extra: Partial<NewAccount> = {},
): NewAccount {
  return {
    id,
    profile,
    nom,
    prenom,
    dateNaissance: null,
    casId: null,
    pronoteEntId: null,
    classe: null,
    espaceParents: profile === 'responsable' ? true : null,
    email: null,
    ...extra,
  };
}

/** A school's whole PRONOTE data, as the demo seed and the import CLI bring it. */
export interface SchoolLoad {
  school: School;
  accounts: NewAccount[];
  links: { eleveId: string; responsableId: string }[];
  /** Defaults to the base and the usual espaces published. */
  publication?: { basePublished: boolean; espaces: Partial<Record<Espace, boolean>> };
}
