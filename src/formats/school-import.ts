import { hash } from 'node:crypto';
import type { EntAccount, EntLoader } from '../ent/port.js';
import { fieldLabel, KIND_LABELS, valueLabel } from '../pronote/correction-words.js';
import { type NewAccount, PROFILES, type Profile, type PronoteAccount } from '../pronote/model.js';
import { foldText, foldWords } from '../pronote/normalise.js';
import type { PronoteLoader, PronotePort } from '../pronote/port.js';
import { casIdSchema, identitySchema } from '../pronote/write-schemas.js';
import { FILE_KIND_LABELS, type FileKind, peopleIn, type ReadFile, readSchoolFile } from './detect.js';
import type { ConsoleRow } from './ent-console.js';
import { type CorrectionReport, settleCorrections } from './import-corrections.js';
import type { SchoolPerson } from './people.js';
import {
  type EntRow,
  ExportError,
  type PronoteRow,
  parseEntExport,
  parsePronoteExport,
} from './pronote-export.js';

/** One PRONOTE list export (« Copier la liste », CSV) and the profile it lists. */
export interface PronoteFile {
  path: string;
  bytes: Uint8Array;
  profile: Profile;
}

/** A file whose kind the import tells from its content. */
export interface SchoolFile {
  path: string;
  bytes: Uint8Array;
}

export interface ImportInput {
  uai: string;
  name?: string;
  /** PRONOTE list exports with the profile the person gave (`--pronote F --profile P`). */
  pronote: PronoteFile[];
  ent?: SchoolFile;
  /** Files of any kind read, each told by its content. */
  files?: SchoolFile[];
  replace: boolean;
  /** Lets `replace` remove more than half of the school's accounts. */
  force?: boolean;
  /** The school's identities from the region's AAF delivery already stored: they complete the ENT accounts when no AAF file is given. */
  storedAaf?: SchoolPerson[];
}

export interface ImportSummary {
  uai: string;
  name: string;
  /** The school's accounts per profile before the import: all zero for a new school. */
  before: Record<Profile, number>;
  counts: Record<Profile, number>;
  links: number;
  /** Children named on a responsable's row that match no pupil, or several. */
  unlinked: { path: string; line: number; child: string }[];
  entAccounts: number | null;
  /** What the import says of the school's open corrections. */
  corrections: CorrectionReport;
  /** What each file was read as, and how many people it holds. */
  files: FileReport[];
}

export interface FileReport {
  path: string;
  kind: FileKind;
  /** « liste exportée de PRONOTE (élèves) », « SIECLE responsables »… */
  label: string;
  people: number;
  /** People held but left out, and why. */
  leftOut?: string;
}

/** A file the import refuses, with a French message naming the file, the line and, when known, the column. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

const UAI = /^\d{7}[A-Z]$/;

interface Parsed {
  account: NewAccount;
  row: PronoteRow;
  path: string;
}

/** Opaque and stable: the same person exported again keeps the id, and the id tells nothing about them. */
function accountId(uai: string, profile: Profile, row: PronoteRow, taken: Set<string>): string {
  const who = row.pronoteEntId ?? `${foldText(row.nom)}|${foldText(row.prenom)}|${row.dateNaissance ?? ''}`;
  const base = `${profile}-${hash('sha256', `${uai}|${profile}|${who}`).slice(0, 12)}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

function toAccount(file: { path: string; profile: Profile }, row: PronoteRow, id: string): NewAccount {
  const where = `${file.path} : Ligne ${row.line}`;
  const identity = identitySchema.safeParse({
    nom: row.nom,
    prenom: row.prenom,
    dateNaissance: row.dateNaissance ?? null,
  });
  if (!identity.success) throw new ImportError(`${where} : ${identity.error.issues[0]?.message}`);
  const casId = row.casId ? casIdSchema.safeParse(row.casId) : null;
  if (casId && !casId.success) throw new ImportError(`${where} : ${casId.error.issues[0]?.message}`);
  return {
    id,
    profile: file.profile,
    ...identity.data,
    casId: casId?.data ?? null,
    pronoteEntId: row.pronoteEntId ?? null,
    classe: row.classe ?? null,
    // An export without the « Esp. par. » column tells nothing: unknown, not refused.
    espaceParents: file.profile === 'responsable' ? (row.espaceParents ?? null) : null,
    email: row.email ?? null,
  };
}

function parse<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ExportError) throw new ImportError(`${path} : ${err.message}`);
    throw err;
  }
}

/**
 * PRONOTE refuses one login on two accounts; so does the base. Every repeated login is listed at once
 * with all its lines: ten duplicates are fixed in one round, not ten.
 */
function ensureUniqueCasIds(parsed: Parsed[]): void {
  const byLogin = new Map<string, Parsed[]>();
  for (const p of parsed) {
    const key = p.account.casId?.toLowerCase();
    if (!key) continue;
    byLogin.set(key, [...(byLogin.get(key) ?? []), p]);
  }
  const repeated = [...byLogin.values()].filter((list) => list.length > 1);
  if (repeated.length === 0) return;
  const lines = repeated.map(
    (list) =>
      `  « ${list[0]?.account.casId} » : ${list.map((p) => `${p.path}, ligne ${p.row.line}`).join(' ; ')}`,
  );
  throw new ImportError(
    [
      `${repeated.length} identifiant(s) CAS figurent sur plusieurs comptes ; un identifiant CAS ne peut appartenir qu’à un compte :`,
      ...lines,
    ].join('\n'),
  );
}

/** Children are named « NOM Prénom » (or « Prénom NOM »): link when exactly one pupil has that name. */
function linksOf(parsed: Parsed[]) {
  const pupils = new Map<string, string[]>();
  for (const { account: a } of parsed.filter((p) => p.account.profile === 'eleve')) {
    for (const key of [foldWords(`${a.nom} ${a.prenom}`), foldWords(`${a.prenom} ${a.nom}`)]) {
      const ids = pupils.get(key);
      if (!ids) pupils.set(key, [a.id]);
      else if (!ids.includes(a.id)) ids.push(a.id);
    }
  }
  const links: { eleveId: string; responsableId: string }[] = [];
  const unlinked: ImportSummary['unlinked'] = [];
  for (const { account, row, path } of parsed.filter((p) => p.account.profile === 'responsable')) {
    for (const child of row.enfants ?? []) {
      const found = pupils.get(foldWords(child)) ?? [];
      const eleveId = found[0];
      if (found.length === 1 && eleveId) links.push({ eleveId, responsableId: account.id });
      else unlinked.push({ path, line: row.line, child });
    }
  }
  return { links, unlinked };
}

function entAccounts(
  uai: string,
  rows: readonly (EntRow | ConsoleRow)[],
  aaf: readonly SchoolPerson[],
): EntAccount[] {
  const byJointure = new Map(aaf.map((p) => [p.sourceId, p]));
  // Without a jointure, an AAF identity completes the ENT row of the one person with that profile and names.
  const byName = new Map<string, SchoolPerson | null>();
  for (const p of aaf) {
    const k = `${p.profile}|${foldText(p.nom)}|${foldText(p.prenom)}`;
    byName.set(k, byName.has(k) ? null : p);
  }
  const aafOf = (r: EntRow | ConsoleRow) =>
    ('jointure' in r && r.jointure ? byJointure.get(r.jointure) : undefined) ??
    r.profiles
      .map((profile) => byName.get(`${profile}|${foldText(r.nom)}|${foldText(r.prenom)}`))
      .find(Boolean);
  // An ENT export may span several schools: keep this one's accounts and those that name none.
  return rows
    .filter((r) => r.uai === undefined || r.uai.toUpperCase() === uai)
    .map((r) => {
      const aafPerson = aafOf(r);
      const other = [aafPerson?.nom, aafPerson?.nomNaissance].find(
        (n): n is string => n !== undefined && foldText(n) !== foldText(r.nom),
      );
      return {
        login: r.login,
        uai,
        nom: r.nom,
        prenom: r.prenom,
        dateNaissance: r.dateNaissance ?? aafPerson?.dateNaissance ?? null,
        profiles: r.profiles,
        ...(other ? { nomNaissance: other } : {}),
        ...(aafPerson?.codePostal ? { codePostal: aafPerson.codePostal } : {}),
        ...(r.pronoteEntId ? { pronoteEntId: r.pronoteEntId } : {}),
      };
    });
}

const PROFILE_LIST: Record<Profile, string> = {
  eleve: 'élèves',
  responsable: 'responsables',
  professeur: 'professeurs',
  personnel: 'personnels',
};

interface ReadSchoolFile {
  path: string;
  read: ReadFile;
}

/** What a file was read as, for the line printed for it. */
function reportOf({ path, read }: ReadSchoolFile): FileReport {
  const label =
    read.kind === 'pronote-list' && read.profile
      ? `${FILE_KIND_LABELS[read.kind]} (${PROFILE_LIST[read.profile]})`
      : FILE_KIND_LABELS[read.kind];
  const leftOut =
    'file' in read && read.file.leftOut
      ? `non repris : ${read.file.leftOut.why} ${read.file.leftOut.count}`
      : read.kind === 'ent-console' && read.guests > 0
        ? `non repris : invités, sans compte PRONOTE : ${read.guests}`
        : undefined;
  return { path, kind: read.kind, label, people: peopleIn(read), ...(leftOut ? { leftOut } : {}) };
}

/**
 * Every file read and checked against the others before anything is written: each is of this school,
 * no kind comes twice (two pupils' files would double every pupil), a list whose profile its columns
 * do not tell is refused with how to give it.
 */
function readAll(uai: string, input: ImportInput): ReadSchoolFile[] {
  const reads: ReadSchoolFile[] = [
    ...input.pronote.map((f) => ({
      path: f.path,
      read: {
        kind: 'pronote-list' as const,
        profile: f.profile,
        rows: parse(f.path, () => parsePronoteExport(f.bytes)),
      },
    })),
    ...(input.ent
      ? [
          {
            path: input.ent.path,
            read: {
              kind: 'ent-csv' as const,
              rows: parse(input.ent.path, () => parseEntExport(input.ent?.bytes ?? new Uint8Array())),
            },
          },
        ]
      : []),
    ...(input.files ?? []).map((f) => ({ path: f.path, read: parse(f.path, () => readSchoolFile(f.bytes)) })),
  ];
  const seen = new Map<string, string>();
  for (const { path, read } of reads) {
    if (read.kind === 'pronote-list' && read.profile === null) {
      throw new ImportError(
        `${path} : liste exportée de PRONOTE sans colonne qui dise son profil (ni « Classe » ni « Esp. par. ») : professeurs ou personnels ? Donnez-la avec --pronote ${path} --profile professeur (ou personnel).`,
      );
    }
    if ('file' in read && read.file.uai && read.file.uai.toUpperCase() !== uai) {
      throw new ImportError(
        `${path} : fichier de l’établissement ${read.file.uai}, pas de ${uai}. Vérifiez le fichier ou le --uai.`,
      );
    }
    const slot =
      read.kind === 'pronote-list'
        ? `liste PRONOTE des ${PROFILE_LIST[read.profile ?? 'eleve']}`
        : read.kind === 'ent-csv' || read.kind === 'ent-console'
          ? 'comptes ENT'
          : read.kind === 'aaf'
            ? // The AAF comes as one file per category: two files of the same categories are one too many.
              `${FILE_KIND_LABELS.aaf} (${[...new Set(read.file.people.map((p) => PROFILE_LIST[p.profile]))].sort().join(', ')})`
            : FILE_KIND_LABELS[read.kind];
    const first = seen.get(slot);
    if (first)
      throw new ImportError(
        `${path} : deux fichiers du même genre (${slot}) : ${first} et ${path}. Donnez-en un seul.`,
      );
    seen.set(slot, path);
  }
  if (reads.some((r) => r.read.kind === 'aaf') && !seen.has('comptes ENT')) {
    const aaf = reads.find((r) => r.read.kind === 'aaf')?.path;
    throw new ImportError(
      `${aaf} : l’annuaire AAF ne porte pas les identifiants ENT ; joignez l’export des utilisateurs de la console ENT, que l’AAF complète (dates de naissance, noms de naissance).`,
    );
  }
  return reads;
}

/**
 * What a national file adds to an account: the other nom (birth or usage), the postcode, and the birth
 * date or class a PRONOTE list left empty. What the list says stays: it is PRONOTE's own data.
 */
function completeFrom(account: NewAccount, person: SchoolPerson): void {
  const other = [person.nom, person.nomNaissance].find(
    (n): n is string => n !== undefined && foldText(n) !== foldText(account.nom),
  );
  if (other) account.nomNaissance = other;
  if (person.codePostal) account.codePostal = person.codePostal;
  if (!account.dateNaissance && person.dateNaissance) account.dateNaissance = person.dateNaissance;
  if (!account.classe && person.classe) account.classe = person.classe;
}

const nameKey = (profile: Profile, nom: string, prenom: string) =>
  `${profile}|${foldText(nom)}|${foldText(prenom)}`;

/**
 * SIECLE and STS hold the people PRONOTE is fed from, without « Identifiant CAS » nor « Esp. par. »: a
 * person a PRONOTE list also holds (same profile, nom — birth or usage —, prénom and date) keeps that
 * list's account; the others are added. SIECLE's responsables are linked to their pupils by its ids.
 */
function mergeNational(uai: string, reads: ReadSchoolFile[], parsed: Parsed[], taken: Set<string>) {
  // Most imports are PRONOTE lists alone: no index of a hundred thousand names to build for nothing.
  if (!reads.some((r) => 'file' in r.read && r.read.kind !== 'aaf')) return [];
  // PRONOTE's list rows by name; each is one person, claimed by one national record at most.
  const listed = new Map<string, Parsed[]>();
  for (const p of parsed) {
    const k = nameKey(p.account.profile, p.account.nom, p.account.prenom);
    listed.set(k, [...(listed.get(k) ?? []), p]);
  }
  const claimed = new Set<Parsed>();
  // Same name, and the same birth date or none on the list: one such row only, or it is no proof.
  const listRowOf = (person: SchoolPerson) => {
    const fits = [person.nom, person.nomNaissance]
      .filter((n): n is string => n !== undefined)
      .flatMap((n) => listed.get(nameKey(person.profile, n, person.prenom)) ?? [])
      .filter((p) => !claimed.has(p))
      .filter(
        (p) => !p.row.dateNaissance || !person.dateNaissance || p.row.dateNaissance === person.dateNaissance,
      );
    const unique = [...new Set(fits)];
    if (unique.length <= 1) return unique[0];
    // Twins: the same identity twice on both sides. The class tells them apart when it differs; when it
    // does not, either row is that person as far as any field says, and neither must be doubled.
    const sameClass = unique.filter((p) => person.classe && p.row.classe === person.classe);
    const left = sameClass.length > 0 ? sameClass : unique;
    const alike = (p: Parsed) =>
      `${foldText(p.account.nom)}|${foldText(p.account.prenom)}|${p.row.dateNaissance ?? ''}`;
    return new Set(left.map(alike)).size === 1 && person.dateNaissance ? left[0] : undefined;
  };
  const bySource = new Map<string, string>();
  const links: { eleveId: string; responsableId: string }[] = [];
  const national = reads.flatMap((r) =>
    'file' in r.read && r.read.kind !== 'aaf'
      ? [{ path: r.path, kind: r.read.kind, people: r.read.file.people }]
      : [],
  );
  for (const { path, kind, people } of national) {
    for (const person of people) {
      const row: PronoteRow = {
        line: person.line,
        nom: person.nom,
        prenom: person.prenom,
        ...(person.dateNaissance ? { dateNaissance: person.dateNaissance } : {}),
        ...(person.classe ? { classe: person.classe } : {}),
      };
      const found = listRowOf(person);
      if (found) {
        claimed.add(found);
        completeFrom(found.account, person);
        bySource.set(`${kind}:${person.sourceId}`, found.account.id);
        continue;
      }
      const file = { path, profile: person.profile };
      const account = toAccount(file, row, accountId(uai, person.profile, row, taken));
      completeFrom(account, person);
      const p = { account, row, path };
      parsed.push(p);
      bySource.set(`${kind}:${person.sourceId}`, p.account.id);
    }
  }
  for (const { kind, people } of national) {
    if (kind !== 'siecle-responsables') continue;
    for (const person of people) {
      const responsableId = bySource.get(`${kind}:${person.sourceId}`);
      for (const eleve of person.eleveIds ?? []) {
        const eleveId = bySource.get(`siecle-eleves:${eleve}`);
        if (eleveId && responsableId) links.push({ eleveId, responsableId });
      }
    }
  }
  return links;
}

/** Everything an import will write, read and checked, nothing written yet: what the upload page previews. */
export interface ImportPlan {
  uai: string;
  name: string;
  /** Whether the school is already in the base (then only `replace` loads it). */
  exists: boolean;
  /** The school's accounts now. */
  present: PronoteAccount[];
  before: Record<Profile, number>;
  accounts: NewAccount[];
  links: { eleveId: string; responsableId: string }[];
  unlinked: ImportSummary['unlinked'];
  ent: EntAccount[] | null;
  files: FileReport[];
}

/**
 * Reads and checks every file against the others and against the school as it is, writing nothing:
 * a refused file, line or replacement throws an ImportError in French.
 */
export async function planImport(pronote: PronotePort, input: ImportInput): Promise<ImportPlan> {
  const uai = input.uai.trim().toUpperCase();
  if (!UAI.test(uai))
    throw new ImportError(`UAI « ${input.uai} » invalide : 7 chiffres et une lettre sont attendus.`);
  const reads = readAll(uai, input);
  const pronoteSide = reads.filter(
    (r) => r.read.kind !== 'ent-csv' && r.read.kind !== 'ent-console' && r.read.kind !== 'aaf',
  );
  if (pronoteSide.length === 0) {
    throw new ImportError(
      'Aucun fichier PRONOTE à importer : une liste exportée de PRONOTE, SIECLE ou STS est attendue.',
    );
  }

  const taken = new Set<string>();
  const parsed: Parsed[] = reads.flatMap(({ path, read }) =>
    read.kind === 'pronote-list' && read.profile
      ? read.rows.map((row) => {
          const file = { path, profile: read.profile as Profile };
          return { account: toAccount(file, row, accountId(uai, file.profile, row, taken)), row, path };
        })
      : [],
  );
  ensureUniqueCasIds(parsed);
  const national = mergeNational(uai, reads, parsed, taken);
  const named = linksOf(parsed);
  const linkKey = (l: { eleveId: string; responsableId: string }) => `${l.eleveId}|${l.responsableId}`;
  const links = [...new Map([...named.links, ...national].map((l) => [linkKey(l), l])).values()];
  const entRowsRead = reads.flatMap(({ read }) =>
    read.kind === 'ent-csv' || read.kind === 'ent-console' ? read.rows : [],
  );
  const aafRead = reads.flatMap(({ read }) => (read.kind === 'aaf' ? read.file.people : []));
  // No AAF file given: the school's part of the region's delivery, when one was loaded (`--region`).
  const aaf = aafRead.length > 0 ? aafRead : (input.storedAaf ?? []);
  const ent = reads.some(({ read }) => read.kind === 'ent-csv' || read.kind === 'ent-console')
    ? entAccounts(uai, entRowsRead, aaf)
    : null;

  const existing = await pronote.getSchool(uai);
  const present = existing ? await pronote.listAccounts(uai) : [];
  if (existing && input.replace && !input.force) ensureMostKept(uai, present, parsed);
  return {
    uai,
    name: input.name?.trim() || existing?.name || `Établissement ${uai}`,
    exists: existing !== null,
    present,
    before: countsOf(present),
    accounts: parsed.map((p) => p.account),
    links,
    unlinked: named.unlinked,
    ent,
    files: reads.map(reportOf),
  };
}

/**
 * Writes a plan: the PRONOTE load is one transaction that refuses a school already present (without
 * `replace`) before the ENT directory is touched; then the open corrections are settled against it.
 */
export async function commitImport(
  { pronote, ent: directory }: { pronote: PronotePort & PronoteLoader; ent: EntLoader },
  plan: ImportPlan,
  replace: boolean,
): Promise<ImportSummary> {
  const { uai, name, links, ent } = plan;
  const counts = await pronote.loadSchool(
    { school: { uai, name }, accounts: plan.accounts, links },
    { replace },
  );
  if (ent) await directory.replaceSchool(uai, ent);
  const corrections = await settleCorrections(pronote, uai, plan.accounts);
  return {
    uai,
    name,
    before: plan.before,
    counts,
    links: links.length,
    unlinked: plan.unlinked,
    entAccounts: ent?.length ?? null,
    corrections,
    files: plan.files,
  };
}

/**
 * Loads a school from its files in one transaction: every file is parsed and checked first, and a refused
 * line leaves the base as it was.
 */
export async function importSchool(
  ports: { pronote: PronotePort & PronoteLoader; ent: EntLoader },
  input: ImportInput,
): Promise<ImportSummary> {
  return commitImport(ports, await planImport(ports.pronote, input), input.replace);
}

function countsOf(accounts: readonly { profile: Profile }[]): Record<Profile, number> {
  const counts = Object.fromEntries(PROFILES.map((p) => [p, 0])) as Record<Profile, number>;
  for (const a of accounts) counts[a.profile] += 1;
  return counts;
}

/**
 * A replacement that would drop more than half of a school is far more often a wrong or empty file than
 * a school that lost half its people: refused unless forced, with the counts that tell which.
 */
function ensureMostKept(uai: string, present: readonly { id: string; profile: Profile }[], parsed: Parsed[]) {
  // Ids are stable for a person exported again: those absent from the new files are the ones removed.
  const incoming = new Set(parsed.map((p) => p.account.id));
  const removed = present.filter((a) => !incoming.has(a.id)).length;
  if (removed <= present.length / 2) return;
  const before = countsOf(present);
  const after = countsOf(parsed.map((p) => p.account));
  const line = (c: Record<Profile, number>) => PROFILES.map((p) => `${PROFILE_LABELS[p]} ${c[p]}`).join(', ');
  throw new ImportError(
    [
      `Remplacement refusé : ${removed} des ${present.length} comptes de l’établissement ${uai} seraient retirés, plus de la moitié.`,
      `  avant : ${line(before)}`,
      `  après : ${line(after)}`,
      'Vérifiez les fichiers ; si c’est bien voulu, relancez avec --force.',
    ].join('\n'),
  );
}

const PROFILE_LABELS: Record<Profile, string> = {
  eleve: 'élèves',
  responsable: 'responsables',
  professeur: 'professeurs',
  personnel: 'personnels',
};

/** The corrections part of the summary: counts, then each contradicted one by name. */
function correctionLines(r: CorrectionReport): string[] {
  if (r.verified + r.contradicted.length + r.open === 0) return [];
  const lines = [
    'Corrections :',
    `  vérifiées par cet import : ${r.verified}`,
    `  contredites par cet import : ${r.contradicted.length}`,
    `  encore à vérifier (hors export, ou pas encore faites) : ${r.open}`,
  ];
  for (const c of r.contradicted) {
    const who = c.person ? `${c.person.nom} ${c.person.prenom}` : 'Console PRONOTE.net';
    const what = c.changes
      .map((ch) =>
        c.seen === null
          ? `${fieldLabel(ch.field)} attendu « ${valueLabel(ch.field, ch.after)} »`
          : `${fieldLabel(ch.field)} attendu « ${valueLabel(ch.field, ch.after)} », trouvé « ${valueLabel(ch.field, c.seen[ch.field])} »`,
      )
      .join(' ; ');
    lines.push(
      `  contredite : ${who} (${KIND_LABELS[c.kind]}) : ${c.seen === null ? 'absent de l’export ; ' : ''}${what}`,
    );
  }
  return lines;
}

/** The summary the CLI prints, in French. */
export function formatSummary(s: ImportSummary): string {
  const lines = [
    ...s.files.map(
      (f) =>
        `${f.path} : lu comme ${f.label}, ${f.people} personne${f.people > 1 ? 's' : ''}${f.leftOut ? ` (${f.leftOut})` : ''}`,
    ),
    `Établissement ${s.uai} « ${s.name} » importé :`,
    ...PROFILES.filter((p) => s.counts[p] > 0 || s.before[p] > 0).map(
      (p) => `  ${PROFILE_LABELS[p]} : ${s.counts[p]} (avant : ${s.before[p]})`,
    ),
    `  liens élève–responsable : ${s.links}`,
  ];
  if (s.entAccounts !== null) lines.push(`  comptes ENT : ${s.entAccounts}`);
  if (s.unlinked.length > 0) {
    lines.push('Enfants non reliés (aucun élève de ce nom, ou plusieurs) :');
    for (const u of s.unlinked) lines.push(`  ${u.path}, ligne ${u.line} : « ${u.child} »`);
  }
  lines.push(...correctionLines(s.corrections));
  return lines.join('\n');
}
