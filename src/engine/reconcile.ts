import type { Espace as FlowEspace } from '../../flows/types.js';
import type { EntAccount, EntDirectory } from '../ent/port.js';
import { entLoginProblem } from '../pronote/ent-login.js';
import { compareFields, type FieldMatch, type Fields, isSure } from '../pronote/field-compare.js';
import { matchIdentity } from '../pronote/matching.js';
import {
  type Espace,
  PROFILES,
  type Profile,
  type PronoteAccount,
  type Publication,
} from '../pronote/model.js';
import type { PronotePort } from '../pronote/port.js';
import { DEFAULT_IDENTIFICATION_MODE, type IdentificationMode } from '../pronote/school-settings.js';
import { candidateIndex } from './reconcile-candidates.js';

/**
 * Whole-school reconciliation: every ENT account of a school set against its PRONOTE accounts before
 * anyone calls. Reads the school once (its PRONOTE list, its ENT list, its console), finds each ENT
 * account's candidates in memory by the rules of the port's `findCandidates` and grades them with the
 * flows' `matchIdentity`, so what it says agrees with what a flow says when the agent opens a finding.
 */

/** An account as a report shows it: no e-mail, no PRONOTE-ENT code. */
export type AccountRef = Omit<PronoteAccount, 'email' | 'pronoteEntId' | 'uai'>;
export type EntRef = Omit<EntAccount, 'uai'>;
export type FieldName = keyof Fields;

export interface Candidate {
  account: AccountRef;
  fields: Fields;
}

/**
 * Why a match is not written in the batch: a homonym of the school (a person should look first), a
 * PRONOTE account two ENT accounts match, or a person with several profiles whose login can sit on one
 * account only; or a login no ENT would give (a formula, a space), which must not reach PRONOTE.
 */
export type MatchBlock = 'homonym' | 'shared-account' | 'several-profiles' | 'invalid-login';

/** What an ENT account will meet at its first (or next) connection, for one of its profiles. */
export type EntFinding =
  /** PRONOTE holds this login in « Identifiant CAS » on that person's account: it works. */
  | { kind: 'linked'; account: AccountRef }
  /** One account agrees on every field (some once normalised): linking it by CAS id is the fix. */
  | {
      kind: 'match';
      account: AccountRef;
      fields: Fields;
      homonyms: AccountRef[];
      blocked: MatchBlock | null;
    }
  /** The best account differs on some field: the identity sent by the CAS will be refused. */
  | {
      kind: 'mismatch';
      account: AccountRef;
      fields: Fields;
      differing: FieldName[];
      /** Both sides gave a code postal and they differ (a responsable without birth date). */
      codePostal?: 'different';
    }
  /** Several accounts fit as well: never link by hand without looking. */
  | { kind: 'ambiguous'; candidates: Candidate[] }
  /** Another person's account holds this login: PRONOTE would open that account. */
  | { kind: 'login-held'; holder: AccountRef; candidate: Candidate | null }
  /** That person's account holds another login (changed ENT account, or another person's login). */
  | { kind: 'other-cas-id'; account: AccountRef; fields: Fields; owner: EntRef | null }
  | { kind: 'none' };

export type FindingKind = EntFinding['kind'];
export const FINDING_KINDS: readonly FindingKind[] = [
  'linked',
  'match',
  'mismatch',
  'ambiguous',
  'login-held',
  'other-cas-id',
  'none',
];

/**
 * Where the school's PRONOTE.net recognises users by the « Identifiant PRONOTE-ENT »: the code the ENT
 * sends, set against the one of the account the finding settled on. Names and dates do not matter then.
 */
export type CodeCheck =
  /** The ENT sends this account's code. */
  | { kind: 'same'; code: string }
  /** The ENT sends the code of another person's account: PRONOTE would open that one. */
  | { kind: 'other-account'; code: string; holder: AccountRef }
  /** The ENT sends a code no account of the export has (or this account has another). */
  | { kind: 'unknown-code'; code: string; expected: string | null }
  /** The ENT's export carries no code for this person: nothing to compare. */
  | { kind: 'not-sent'; expected: string | null }
  /** The PRONOTE export carries no code for this person's account. */
  | { kind: 'not-exported'; code: string };

export interface EntRow {
  ent: EntRef;
  profile: Profile;
  finding: EntFinding;
  /** How the school's PRONOTE.net recognises ENT users: what decides whether this finding blocks. */
  mode: IdentificationMode;
  /** In the « Identifiant PRONOTE-ENT » mode: the code compared. */
  code?: CodeCheck;
}

/** Something wrong with an « Identifiant CAS » PRONOTE holds, seen from PRONOTE's side. */
export type CasIdIssue =
  /** The login is another person's in the ENT (DEJEAN holding michelle.moreau). */
  | { kind: 'wrong-person'; account: AccountRef; ent: EntRef }
  /** No ENT account has this login any more: the person changed account, or left. */
  | { kind: 'unknown-login'; account: AccountRef }
  /** Two accounts hold the same login (an export or another adapter may carry it; SQLite refuses it). */
  | { kind: 'duplicate'; casId: string; accounts: AccountRef[] };

const CAS_ID_ORDER: readonly CasIdIssue['kind'][] = ['wrong-person', 'duplicate', 'unknown-login'];

export interface ParentWithoutAccess {
  account: AccountRef;
  /** « NOM Prénom (classe) » of the pupils, to recognise the contact. */
  eleves: string[];
}

/** The espace a profile opens, as the profile-wide flow names it. */
export const PROFILE_ESPACE: Record<Profile, FlowEspace> = {
  eleve: 'eleves',
  responsable: 'parents',
  professeur: 'professeurs',
  // Most staff use the Espace Vie scolaire; heads use Direction, published with it in practice.
  personnel: 'vie-scolaire',
};

export type EspaceIssue =
  | { kind: 'base'; people: number }
  | { kind: 'espace'; espace: FlowEspace; profile: Profile; people: number };

export interface ProfileSummary {
  profile: Profile;
  /** ENT accounts with this profile. */
  ent: number;
  /** PRONOTE accounts with this profile. */
  pronote: number;
  counts: Record<FindingKind, number>;
  /** Matches the batch fix writes. */
  safe: number;
  pronoteOnly: number;
}

export interface ReconciliationReport {
  uai: string;
  school: string;
  /** The school's identification mode, as its agents described it (identity when nobody did). */
  identificationMode: IdentificationMode;
  /** ISO 8601. */
  generatedAt: string;
  publication: { basePublished: boolean; espaces: Record<Espace, boolean> };
  summary: ProfileSummary[];
  /** Every ENT account, once per profile, by profile then nom. */
  rows: EntRow[];
  /** PRONOTE accounts no ENT account leads to. */
  pronoteOnly: AccountRef[];
  casIds: CasIdIssue[];
  responsablesWithoutAccess: ParentWithoutAccess[];
  espaces: EspaceIssue[];
  /** ENT accounts that carry no profile: nothing to compare them with. */
  entWithoutProfile: number;
}

export interface ReconcilePorts {
  pronote: PronotePort;
  ent: EntDirectory;
}

const CANDIDATES = 100;

const ref = ({ email: _e, pronoteEntId: _p, uai: _u, ...rest }: PronoteAccount): AccountRef => rest;
const entRef = ({ uai: _u, ...rest }: EntAccount): EntRef => rest;
const identityOf = (a: {
  nom: string;
  prenom: string;
  dateNaissance: string | null;
  nomNaissance?: string | null;
  codePostal?: string | null;
}) => ({
  nom: a.nom,
  prenom: a.prenom,
  ...(a.dateNaissance ? { dateNaissance: a.dateNaissance } : {}),
  ...(a.nomNaissance ? { nomNaissance: a.nomNaissance } : {}),
  ...(a.codePostal ? { codePostal: a.codePostal } : {}),
});
const key = (login: string) => login.trim().toLowerCase();

const AGREES: ReadonlySet<FieldMatch> = new Set(['exact', 'normalised', 'close']);

/**
 * Whether the ENT person of a login and the PRONOTE account holding it are one person: more fields
 * agree than differ, and the birth dates, when both sides have one, do not differ. A linked person who
 * took a married name in the ENT stays that person; DEJEAN Yannick holding MOREAU Michelle's login does
 * not, nor does a homonym born another day (same nom and prénom: the names alone prove nothing).
 */
export function samePerson(ent: EntRef, account: AccountRef): boolean {
  const compared = compareFields(identityOf(ent), identityOf(account));
  if (compared.dateNaissance === 'different') return false;
  const fields = Object.values(compared);
  const agree = fields.filter((f) => AGREES.has(f)).length;
  return agree > 0 && agree >= fields.filter((f) => f === 'different').length;
}

const differingOf = (fields: Fields): FieldName[] =>
  (Object.keys(fields) as FieldName[]).filter((f) => fields[f] === 'close' || fields[f] === 'different');

/** The reconciliation of one school, or null when PRONOTE has no such school. */
export async function reconcile(ports: ReconcilePorts, uai: string): Promise<ReconciliationReport | null> {
  const read = await readSchool(ports, uai);
  return read ? grade(read) : null;
}

/**
 * Every school of a list in turn, each as `reconcile` gives it; the next school is read while one is
 * graded, so that a database server works on it meanwhile (a round trip per read, and the rows of a
 * whole school to send).
 */
export async function* reconcileEach(
  ports: ReconcilePorts,
  uais: readonly string[],
): AsyncGenerator<{ uai: string; report: ReconciliationReport | null }> {
  const ahead = (uai: string | undefined) => {
    if (uai === undefined) return null;
    const read = readSchool(ports, uai);
    // Awaited at its turn, where a failure is thrown; a caller stopping before then leaves it unread.
    read.catch(() => {});
    return read;
  };
  let next = ahead(uais[0]);
  for (let i = 0; i < uais.length; i++) {
    const read = await next;
    next = ahead(uais[i + 1]);
    yield { uai: uais[i] as string, report: read ? grade(read) : null };
  }
}

/** What grading a school needs, read at once: nothing is read while grading. */
interface SchoolRead {
  uai: string;
  school: { name: string };
  publication: Publication;
  accounts: PronoteAccount[];
  entAccounts: EntAccount[];
  /** The ENT accounts of other schools whose login an account of this one holds. */
  elsewhere: Map<string, EntAccount | null>;
  /** The pupils of the responsables without access to the Espace Parents. */
  elevesOf: Map<string, PronoteAccount[]>;
  mode: IdentificationMode;
}

const withoutParentAccess = (a: PronoteAccount) => a.profile === 'responsable' && a.espaceParents === false;

async function readSchool({ pronote, ent }: ReconcilePorts, uai: string): Promise<SchoolRead | null> {
  const [school, publication, settings, accounts, entAccounts] = await Promise.all([
    pronote.getSchool(uai),
    pronote.getPublication(uai),
    pronote.getSchoolSettings(uai),
    pronote.listAccounts(uai),
    ent.listSchool(uai),
  ]);
  if (!school || !publication) return null;
  const mode = settings?.identificationMode ?? DEFAULT_IDENTIFICATION_MODE;
  const entLogins = new Set(entAccounts.map((e) => key(e.login)));
  // A stored « Identifiant CAS » may be an ENT login of another school: looked up once, before grading.
  const away = new Map<string, string>();
  for (const { casId } of accounts)
    if (casId && !entLogins.has(key(casId)) && !away.has(key(casId))) away.set(key(casId), casId);
  const elsewhere = new Map<string, EntAccount | null>();
  const [elevesOf] = await Promise.all([
    pronote.elevesOfEach(
      uai,
      accounts.filter(withoutParentAccess).map((a) => a.id),
    ),
    ...[...away].map(async ([login, casId]) => elsewhere.set(login, await ent.findByLogin(null, casId))),
  ]);
  return { uai, school, publication, accounts, entAccounts, elsewhere, elevesOf, mode };
}

function grade({
  uai,
  school,
  publication,
  accounts,
  entAccounts,
  elsewhere,
  elevesOf,
  mode,
}: SchoolRead): ReconciliationReport {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const candidatesOf = candidateIndex(accounts);
  const holders = new Map<string, PronoteAccount[]>();
  for (const a of accounts) {
    if (a.casId) holders.set(key(a.casId), [...(holders.get(key(a.casId)) ?? []), a]);
  }
  const entByLogin = new Map(entAccounts.map((e) => [key(e.login), e]));
  const byCode = new Map<string, PronoteAccount>();
  for (const a of accounts) if (a.pronoteEntId) byCode.set(codeKey(a.pronoteEntId), a);
  const ownerOf = (casId: string) => entByLogin.get(key(casId)) ?? elsewhere.get(key(casId)) ?? null;

  const rows: EntRow[] = [];
  // How each candidate's postcode compared with the ENT account being graded (set just before classify).
  const postcodes = new Map<string, 'exact' | 'different'>();
  let entWithoutProfile = 0;
  for (const e of entAccounts) {
    if (e.profiles.length === 0) {
      entWithoutProfile += 1;
      continue;
    }
    const identity = identityOf(e);
    const pool = candidatesOf(identity, CANDIDATES);
    const held = holders.get(key(e.login)) ?? [];
    for (const profile of e.profiles) {
      postcodes.clear();
      const inProfile = pool.filter((a) => a.profile === profile);
      const result = matchIdentity(
        identity,
        inProfile.map((a) => ({ id: a.id, ...identityOf(a) })),
      );
      const candidates = result.candidates.flatMap((c) => {
        const a = byId.get(c.id);
        if (c.codePostal) postcodes.set(c.id, c.codePostal);
        return a ? [{ account: ref(a), fields: c.fields }] : [];
      });
      const finding = classify(e, profile, held, result.verdict, candidates);
      rows.push({
        ent: entRef(e),
        profile,
        finding,
        mode,
        ...(mode === 'pronote-ent-id' ? { code: codeCheck(e, finding) } : {}),
      });
    }
  }
  blockShared(rows);

  const claimed = new Set<string>();
  for (const { finding: f } of rows) for (const id of accountsOf(f)) claimed.add(id);
  const pronoteOnly = accounts.filter((a) => !claimed.has(a.id) && !a.casId).map(ref);

  const casIds: CasIdIssue[] = [];
  for (const [, list] of holders) {
    const first = list[0];
    if (!first?.casId) continue;
    if (list.length > 1) casIds.push({ kind: 'duplicate', casId: first.casId, accounts: list.map(ref) });
    for (const a of list) {
      const owner = ownerOf(first.casId);
      if (!owner) casIds.push({ kind: 'unknown-login', account: ref(a) });
      else if (!samePerson(entRef(owner), ref(a)))
        casIds.push({ kind: 'wrong-person', account: ref(a), ent: entRef(owner) });
    }
  }

  const responsablesWithoutAccess = accounts.filter(withoutParentAccess).map((a) => ({
    account: ref(a),
    eleves: (elevesOf.get(a.id) ?? []).map((e) => `${e.nom} ${e.prenom}${e.classe ? ` (${e.classe})` : ''}`),
  }));

  const people = (p: Profile) => rows.filter((r) => r.profile === p).length;
  const espaces: EspaceIssue[] = [];
  if (!publication.basePublished) espaces.push({ kind: 'base', people: rows.length });
  for (const profile of PROFILES) {
    const espace = PROFILE_ESPACE[profile];
    if (!publication.espaces[espace] && people(profile) > 0)
      espaces.push({ kind: 'espace', espace, profile, people: people(profile) });
  }

  return {
    uai,
    school: school.name,
    identificationMode: mode,
    generatedAt: new Date().toISOString(),
    publication: { basePublished: publication.basePublished, espaces: publication.espaces },
    summary: PROFILES.map((profile) => summarise(profile, rows, accounts, pronoteOnly)),
    rows: rows.sort(
      (a, b) => PROFILES.indexOf(a.profile) - PROFILES.indexOf(b.profile) || byName(a.ent, b.ent),
    ),
    pronoteOnly,
    // The most harmful first: a login opening someone else's account.
    casIds: casIds.sort((a, b) => CAS_ID_ORDER.indexOf(a.kind) - CAS_ID_ORDER.indexOf(b.kind)),
    responsablesWithoutAccess,
    espaces,
    entWithoutProfile,
  };

  /** The code the ENT sends for `e`, set against the account its finding settled on. */
  function codeCheck(e: EntAccount, finding: EntFinding): CodeCheck {
    const own = ownAccount(finding);
    const expected = own ? (byId.get(own.id)?.pronoteEntId ?? null) : null;
    const code = e.pronoteEntId?.trim();
    if (!code) return { kind: 'not-sent', expected };
    const holder = byCode.get(codeKey(code));
    // Without an account found by identity (a usage name), the code leads to that person or not.
    const leadsToThem = holder && (own ? holder.id === own.id : samePerson(entRef(e), ref(holder)));
    if (holder && leadsToThem) return { kind: 'same', code };
    if (holder) return { kind: 'other-account', code, holder: ref(holder) };
    if (own && expected === null) return { kind: 'not-exported', code };
    return { kind: 'unknown-code', code, expected };
  }

  function classify(
    e: EntAccount,
    profile: Profile,
    held: PronoteAccount[],
    verdict: 'match' | 'mismatch' | 'ambiguous' | 'none',
    candidates: Candidate[],
  ): EntFinding {
    const holder = held.find((h) => h.profile === profile) ?? held[0];
    const [best, ...others] = candidates;
    let blocked: MatchBlock | null = null;
    if (holder) {
      const same = samePerson(entRef(e), ref(holder));
      if (same && holder.profile === profile) return { kind: 'linked', account: ref(holder) };
      if (!same) return { kind: 'login-held', holder: ref(holder), candidate: best ?? null };
      // That person's account of another profile holds the login: this one cannot hold it too.
      blocked = 'several-profiles';
    }
    if (verdict === 'none' || !best) return { kind: 'none' };
    if (verdict === 'ambiguous') return { kind: 'ambiguous', candidates };
    if (verdict === 'mismatch')
      return {
        kind: 'mismatch',
        account: best.account,
        fields: best.fields,
        differing: differingOf(best.fields),
        ...(postcodes.get(best.account.id) === 'different' ? { codePostal: 'different' as const } : {}),
      };
    const { account, fields } = best;
    if (account.casId && key(account.casId) !== key(e.login)) {
      const owner = ownerOf(account.casId);
      return { kind: 'other-cas-id', account, fields, owner: owner ? entRef(owner) : null };
    }
    // A namesake at another postcode, when this one's agrees, is told apart as a birth date would.
    const toldApart = (c: Candidate) =>
      postcodes.get(account.id) === 'exact' && postcodes.get(c.account.id) === 'different';
    const homonyms = others
      .filter((c) => isSure(c.fields.nom) && isSure(c.fields.prenom) && !toldApart(c))
      .map((c) => c.account);
    if (blocked === null && homonyms.length > 0) blocked = 'homonym';
    if (blocked === null && entLoginProblem(e.login) !== null) blocked = 'invalid-login';
    return { kind: 'match', account, fields, homonyms, blocked };
  }
}

/** PRONOTE-ENT codes are compared as exported: spaces around aside, case aside. */
const codeKey = (code: string) => code.trim().toUpperCase();

/** The account a finding settled on as that person's, if any. */
export const ownAccount = (f: EntFinding): AccountRef | null =>
  f.kind === 'linked' || f.kind === 'match' || f.kind === 'mismatch' || f.kind === 'other-cas-id'
    ? f.account
    : null;

const byName = (a: EntRef, b: EntRef) =>
  a.nom.localeCompare(b.nom, 'fr') ||
  a.prenom.localeCompare(b.prenom, 'fr') ||
  a.login.localeCompare(b.login);

/** The PRONOTE accounts a finding leads to: those are not « without an ENT account ». */
function accountsOf(f: EntFinding): string[] {
  switch (f.kind) {
    case 'linked':
    case 'match':
    case 'mismatch':
    case 'other-cas-id':
      return [f.account.id];
    case 'ambiguous':
      return f.candidates.map((c) => c.account.id);
    case 'login-held':
      return [f.holder.id, ...(f.candidate ? [f.candidate.account.id] : [])];
    case 'none':
      return [];
  }
}

/**
 * A PRONOTE account two ENT rows match, or an ENT login matched on two accounts (several profiles):
 * writing them would fail halfway or link the wrong person, so none of them goes in the batch.
 */
function blockShared(rows: EntRow[]): void {
  const matches = rows.flatMap((r) => (r.finding.kind === 'match' ? [{ row: r, finding: r.finding }] : []));
  const perAccount = new Map<string, number>();
  const perLogin = new Map<string, number>();
  for (const { row, finding } of matches) {
    perAccount.set(finding.account.id, (perAccount.get(finding.account.id) ?? 0) + 1);
    perLogin.set(key(row.ent.login), (perLogin.get(key(row.ent.login)) ?? 0) + 1);
  }
  for (const { row, finding } of matches) {
    if ((perAccount.get(finding.account.id) ?? 0) > 1) finding.blocked = 'shared-account';
    else if ((perLogin.get(key(row.ent.login)) ?? 0) > 1) finding.blocked = 'several-profiles';
  }
}

function summarise(
  profile: Profile,
  rows: EntRow[],
  accounts: PronoteAccount[],
  pronoteOnly: AccountRef[],
): ProfileSummary {
  const mine = rows.filter((r) => r.profile === profile);
  const counts = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  for (const r of mine) counts[r.finding.kind] += 1;
  return {
    profile,
    ent: mine.length,
    pronote: accounts.filter((a) => a.profile === profile).length,
    counts,
    safe: mine.filter((r) => isSafe(r.finding)).length,
    pronoteOnly: pronoteOnly.filter((a) => a.profile === profile).length,
  };
}

/** A match nobody needs to look at first: its login goes in the batch. */
export const isSafe = (f: EntFinding): f is Extract<EntFinding, { kind: 'match' }> =>
  f.kind === 'match' && f.blocked === null;
