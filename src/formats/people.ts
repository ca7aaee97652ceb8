import type { Profile } from '../pronote/model.js';

/**
 * What the national files say about a school's people, read before they are merged into accounts:
 * the PRONOTE side (SIECLE, STS: what PRONOTE itself is fed from) and the ENT side (AAF: what the ENT
 * is fed from). Neither carries an ENT login nor an « Identifiant CAS ».
 */

export interface SchoolPerson {
  /** Line of the file where the person's element starts, for messages. */
  line: number;
  /** The file's own id for the person (ELEVE_ID, PERSONNE_ID, INDIVIDU ID, ENTPersonJointure). */
  sourceId: string;
  profile: Profile;
  /** The nom in use: the usage name when the file gives one, else the birth name. */
  nom: string;
  /** The birth name when it differs from `nom`. */
  nomNaissance?: string;
  prenom: string;
  /** AAAA-MM-JJ. */
  dateNaissance?: string;
  classe?: string;
  codePostal?: string;
  /** A responsable's pupils, by the pupils' `sourceId`. */
  eleveIds?: string[];
}

export interface PeopleFile {
  /** The school the file says it is from, when it says. */
  uai?: string;
  people: SchoolPerson[];
  /** People the file holds but the import leaves out, and who they are (« élèves sortis… : »). */
  leftOut?: { count: number; why: string };
}

/** Usage name first, birth name kept when different: both are how the person may be known. */
export function noms(
  birth: string | undefined,
  usage: string | undefined,
): { nom?: string; nomNaissance?: string } {
  const nom = usage || birth;
  if (!nom) return {};
  return birth && usage && birth !== usage ? { nom, nomNaissance: birth } : { nom };
}
