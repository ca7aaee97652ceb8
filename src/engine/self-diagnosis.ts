import type { CasIdentity } from '../ent/cas-identity.js';
import type { EntAccount, EntDirectory } from '../ent/port.js';
import { type DifferenceKind, identityDifferences } from '../pronote/field-difference.js';
import type { Profile } from '../pronote/model.js';
import type { PronotePort } from '../pronote/port.js';
import type { IdentificationMode } from '../pronote/school-settings.js';
import { type AccountRef, type CodeCheck, type EntFinding, PROFILE_ESPACE, reconcile } from './reconcile.js';
import { type OpenTarget, parentTarget, rowTarget } from './reconcile-open.js';

/**
 * « Vérifier mon compte »: the identity the ENT's CAS released for a person, set against the school's
 * PRONOTE data by the reconciliation's own rules (the person stands alone in the ENT list, the rest of
 * the school as it is), and told back as findings about that person's account only. Nothing here names or
 * counts another account: a login held by someone else is « held », a homonym makes the case « to check ».
 */

export type IdentityField = 'nom' | 'prenom' | 'dateNaissance';

/** How one field differs, in words a person understands (« jour et mois inversés »); never the school's value. */
export interface Difference {
  field: IdentityField;
  kind: DifferenceKind;
  label: string;
}

export type SelfFinding =
  /** PRONOTE holds this ENT login on this person's account: the link is there. */
  | { kind: 'linked' }
  /** The identity agrees: PRONOTE will link the account at the next connection, unless the school must look first. */
  | { kind: 'match'; toCheck: boolean }
  | { kind: 'mismatch'; differences: Difference[] }
  /** More than one account could be this person: the school must choose. */
  | { kind: 'ambiguous' }
  /** Another PRONOTE account holds this ENT login. */
  | { kind: 'login-held' }
  /** This person's account holds another ENT login (an old one). */
  | { kind: 'old-login' }
  | { kind: 'none' };

export interface ProfileDiagnosis {
  profile: Profile;
  finding: SelfFinding;
  /** For a responsable whose account was found: « Accès à l'Espace Parents » is not granted. */
  parentAccessMissing: boolean;
  /** The espace this profile signs in to is published (and the base with it). */
  espacePublished: boolean;
  /** Where an agent opening the request starts: never shown to the person. */
  target: OpenTarget | null;
  /**
   * Whether the identity found above stops the connection in the school's mode: not in double
   * authentication (the PRONOTE login is asked once), nor where the « Identifiant PRONOTE-ENT » decides.
   */
  identityBlocks: boolean;
  /** In the « Identifiant PRONOTE-ENT » mode: whether the code the ENT sends is this account's (never whose else). */
  code?: 'same' | 'different' | 'missing';
}

export interface SelfDiagnosis {
  uai: string;
  school: string;
  /** How the school's PRONOTE.net recognises ENT users, as its agents described it. */
  mode: IdentificationMode;
  profiles: ProfileDiagnosis[];
}

const key = (login: string) => login.trim().toLowerCase();

/** What the person may be told of the code comparison: never whose code the ENT sends. */
const CODE_WORDS: Record<CodeCheck['kind'], NonNullable<ProfileDiagnosis['code']>> = {
  same: 'same',
  'other-account': 'different',
  'unknown-code': 'different',
  'not-sent': 'missing',
  'not-exported': 'missing',
};

/** A directory where the person is the whole ENT list of the school; other logins are looked up as usual. */
function alone(ent: EntDirectory, person: EntAccount): EntDirectory {
  // One read of the school's ENT list, shared by every lookup the reconciliation makes at once.
  let school: Promise<Map<string, EntAccount>> | undefined;
  const known = (uai: string) => {
    school ??= ent.listSchool(uai).then((list) => new Map(list.map((e) => [key(e.login), e])));
    return school;
  };
  return {
    ...ent,
    listSchool: async () => [person],
    findByLogin: async (uai, login) => {
      if (key(login) === key(person.login)) return person;
      return (await known(person.uai)).get(key(login)) ?? ent.findByLogin(uai, login);
    },
  };
}

function differencesOf(person: EntAccount, f: Extract<EntFinding, { kind: 'mismatch' }>): Difference[] {
  const words = identityDifferences(
    { nom: person.nom, prenom: person.prenom, dateNaissance: person.dateNaissance ?? undefined },
    { nom: f.account.nom, prenom: f.account.prenom, dateNaissance: f.account.dateNaissance ?? undefined },
  );
  return f.differing.map((field) => ({ field, kind: words[field].kind, label: words[field].label }));
}

function selfFinding(person: EntAccount, f: EntFinding): SelfFinding {
  switch (f.kind) {
    case 'linked':
      return { kind: 'linked' };
    case 'match':
      return { kind: 'match', toCheck: f.blocked !== null };
    case 'mismatch':
      return { kind: 'mismatch', differences: differencesOf(person, f) };
    case 'ambiguous':
      return { kind: 'ambiguous' };
    case 'login-held':
      return { kind: 'login-held' };
    case 'other-cas-id':
      return { kind: 'old-login' };
    case 'none':
      return { kind: 'none' };
  }
}

/** The person's own account, when the finding settled on one. */
const ownAccount = (f: EntFinding): AccountRef | null =>
  f.kind === 'linked' || f.kind === 'match' || f.kind === 'mismatch' || f.kind === 'other-cas-id'
    ? f.account
    : null;

/** The diagnosis of one person at one school, or null when PRONOTE has no such school here. */
export async function diagnoseSelf(
  ports: { pronote: PronotePort; ent: EntDirectory },
  uai: string,
  identity: CasIdentity,
): Promise<SelfDiagnosis | null> {
  // The ENT list may know what the CAS does not send: the birth name beside a usage name.
  const listed = await ports.ent.findByLogin(uai, identity.login);
  const person: EntAccount = {
    login: identity.login,
    uai,
    nom: identity.nom,
    prenom: identity.prenom,
    dateNaissance: identity.dateNaissance ?? null,
    profiles: identity.profiles,
    // What tells responsables without a birth date apart: never the name alone.
    codePostal: identity.codePostal ?? listed?.codePostal ?? null,
    nomNaissance: listed?.nomNaissance ?? null,
    pronoteEntId: identity.pronoteEntId ?? listed?.pronoteEntId ?? null,
  };
  const report = await reconcile({ pronote: ports.pronote, ent: alone(ports.ent, person) }, uai);
  if (!report) return null;
  const { basePublished, espaces } = report.publication;
  return {
    uai,
    school: report.school,
    mode: report.identificationMode,
    profiles: report.rows.map((row) => {
      const account = ownAccount(row.finding);
      const parentAccessMissing =
        row.profile === 'responsable' && account !== null && account.espaceParents === false;
      const espace = PROFILE_ESPACE[row.profile];
      const espacePublished = basePublished && espaces[espace];
      let target = rowTarget(row);
      if (account && parentAccessMissing && (row.finding.kind === 'linked' || row.finding.kind === 'match'))
        target = parentTarget({ account, eleves: [] });
      if (!espacePublished && (row.finding.kind === 'linked' || row.finding.kind === 'match'))
        target = { target: 'publish', value: espace };
      return {
        profile: row.profile,
        finding: selfFinding(person, row.finding),
        parentAccessMissing,
        espacePublished,
        target,
        identityBlocks:
          report.identificationMode === 'identity' ||
          !['mismatch', 'ambiguous', 'none'].includes(row.finding.kind),
        ...(row.code ? { code: CODE_WORDS[row.code.kind] } : {}),
      };
    }),
  };
}
