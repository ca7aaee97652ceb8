import type { Profile } from '../pronote/model.js';
import { dateKey } from '../pronote/normalise.js';

/**
 * The identity an Open ENT NG CAS releases to PRONOTE (`PronoteRegisteredService`): `nom`, `prenom`,
 * `dateNaissance` (JJ/MM/AAAA), `codePostal`, and `categories` (`National_1` élève, `National_2` parent,
 * `National_3` enseignant, `National_4` personnel, several joined by `;`). The same values PRONOTE compares
 * at a first connection, and the « Données connues » its error page shows.
 */
export interface CasIdentity {
  /** The CAS user: the ENT login PRONOTE stores in « Identifiant CAS ». */
  login: string;
  nom: string;
  prenom: string;
  /** AAAA-MM-JJ; absent when the ENT has none (most parents). */
  dateNaissance?: string;
  codePostal?: string;
  /**
   * The « Identifiant PRONOTE-ENT », for an ENT that sends it as an attribute (schools whose PRONOTE.net
   * recognises users by it); Open ENT NG sends none.
   */
  pronoteEntId?: string;
  profiles: Profile[];
}

/** What is wrong with the attributes, for a message that says which. */
export type CasIdentityProblem = 'no-name' | 'no-profile' | 'bad-date';

export type CasIdentityResult =
  | { ok: true; identity: CasIdentity }
  | { ok: false; problem: CasIdentityProblem };

const CATEGORIES: Record<string, Profile> = {
  National_1: 'eleve',
  National_2: 'responsable',
  National_3: 'professeur',
  National_4: 'personnel',
};

// A value arrives as the CAS wrote it: entities decoded, but maybe with control characters, non-breaking
// spaces or a decomposed accent. Names are compared folded anyway; this only keeps them printable.
const CONTROL = /\p{Cc}/gu;
const clean = (v: string | undefined, max: number): string =>
  (v ?? '').normalize('NFC').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, max);

/** Reads the released attributes; names are looked up whatever their case (`dateNaissance`, `DATENAISSANCE`). */
export function casIdentityOf(user: string, attributes: Record<string, string>): CasIdentityResult {
  const byName = new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), v]));
  const nom = clean(byName.get('nom'), 100);
  const prenom = clean(byName.get('prenom'), 100);
  if (nom === '' || prenom === '') return { ok: false, problem: 'no-name' };
  const profiles = [
    ...new Set(
      clean(byName.get('categories'), 200)
        .split(/[;,]/)
        .map((c) => CATEGORIES[c.trim()])
        .filter((p): p is Profile => p !== undefined),
    ),
  ];
  if (profiles.length === 0) return { ok: false, problem: 'no-profile' };
  const dateText = clean(byName.get('datenaissance'), 20);
  const dateNaissance = dateText === '' ? null : dateKey(dateText);
  if (dateText !== '' && dateNaissance === null) return { ok: false, problem: 'bad-date' };
  const codePostal = clean(byName.get('codepostal'), 10).replace(/\s/g, '');
  const pronoteEntId = clean(byName.get('identifiantpronoteent') ?? byName.get('pronoteentid'), 64);
  return {
    ok: true,
    identity: {
      login: clean(user, 128),
      nom,
      prenom,
      ...(dateNaissance ? { dateNaissance } : {}),
      ...(/^\d{5}$/.test(codePostal) ? { codePostal } : {}),
      ...(pronoteEntId ? { pronoteEntId } : {}),
      profiles,
    },
  };
}
