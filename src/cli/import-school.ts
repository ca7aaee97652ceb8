import { hash } from 'node:crypto';
import type { EntAccount, EntLoader } from '../ent/port.js';
import { fieldLabel, KIND_LABELS, valueLabel } from '../pronote/correction-words.js';
import { ExportError, type PronoteRow, parseEntExport, parsePronoteExport } from '../pronote/export-parse.js';
import { foldText, foldWords } from '../pronote/normalise.js';
import {
  type NewAccount,
  PROFILES,
  type Profile,
  type PronoteLoader,
  type PronotePort,
} from '../pronote/port.js';
import { casIdSchema, identitySchema } from '../pronote/write-schemas.js';
import { type CorrectionReport, settleCorrections } from './import-corrections.js';

/** One PRONOTE list export (« Copier la liste », CSV) and the profile it lists. */
export interface PronoteFile {
  path: string;
  bytes: Uint8Array;
  profile: Profile;
}

export interface ImportInput {
  uai: string;
  name?: string;
  pronote: PronoteFile[];
  ent?: { path: string; bytes: Uint8Array };
  replace: boolean;
  /** Lets `replace` remove more than half of the school's accounts. */
  force?: boolean;
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

function toAccount(file: PronoteFile, row: PronoteRow, id: string): NewAccount {
  const where = `${file.path} : Ligne ${row.line}`;
  const identity = identitySchema.safeParse({
    nom: row.nom,
    prenom: row.prenom,
    dateNaissance: row.dateNaissance ?? null,
  });
  if (!identity.success) throw new ImportError(`${where} : ${identity.error.issues[0]?.message}`);
  const casId = row.casId ? casIdSchema.safeParse(row.casId) : null;
  if (casId && !casId.success) throw new ImportError(`${where} : ${casId.error.issues[0]?.message}`);
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
    if (err instanceof ExportError) throw new ImportError(`${path} : ${err.message}`);
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
      `  « ${list[0]?.account.casId} » : ${list.map((p) => `${p.path}, ligne ${p.row.line}`).join(' ; ')}`,
  );
  throw new ImportError(
    [
      `${repeated.length} identifiant(s) CAS figurent sur plusieurs comptes ; un identifiant CAS ne peut appartenir qu’à un compte :`,
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

function entAccounts(uai: string, ent: NonNullable<ImportInput['ent']>): EntAccount[] {
  const rows = parse(ent.path, () => parseEntExport(ent.bytes));
  // An ENT export may span several schools: keep this one's accounts and those that name none.
  return rows
    .filter((r) => r.uai === undefined || r.uai.toUpperCase() === uai)
    .map((r) => ({
      login: r.login,
      uai,
      nom: r.nom,
      prenom: r.prenom,
      dateNaissance: r.dateNaissance ?? null,
      profiles: r.profiles,
    }));
}

/**
 * Loads a school from its PRONOTE list exports (and optionally its ENT export) in one transaction:
 * every file is parsed and checked first, and a refused line leaves the base as it was.
 */
export async function importSchool(
  { pronote, ent: directory }: { pronote: PronotePort & PronoteLoader; ent: EntLoader },
  input: ImportInput,
): Promise<ImportSummary> {
  const uai = input.uai.trim().toUpperCase();
  if (!UAI.test(uai))
    throw new ImportError(`UAI « ${input.uai} » invalide : 7 chiffres et une lettre sont attendus.`);
  if (input.pronote.length === 0) throw new ImportError('Aucun fichier PRONOTE à importer (--pronote).');

  const taken = new Set<string>();
  const parsed: Parsed[] = input.pronote.flatMap((file) =>
    parse(file.path, () => parsePronoteExport(file.bytes)).map((row) => ({
      account: toAccount(file, row, accountId(uai, file.profile, row, taken)),
      row,
      path: file.path,
    })),
  );
  ensureUniqueCasIds(parsed);
  const { links, unlinked } = linksOf(parsed);
  const ent = input.ent ? entAccounts(uai, input.ent) : null;

  const existing = await pronote.getSchool(uai);
  const present = existing ? await pronote.listAccounts(uai) : [];
  const before = countsOf(present);
  if (existing && input.replace && !input.force) ensureMostKept(uai, present, parsed);
  const name = input.name?.trim() || existing?.name || `Établissement ${uai}`;
  // Everything was parsed and checked above; the PRONOTE load is one transaction that refuses a school
  // already present (without --replace) before the ENT directory is touched.
  const counts = await pronote.loadSchool(
    { school: { uai, name }, accounts: parsed.map((p) => p.account), links },
    { replace: input.replace },
  );
  if (ent) await directory.replaceSchool(uai, ent);
  const corrections = await settleCorrections(
    pronote,
    uai,
    parsed.map((p) => p.account),
  );
  return {
    uai,
    name,
    before,
    counts,
    links: links.length,
    unlinked,
    entAccounts: ent?.length ?? null,
    corrections,
  };
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
      `Remplacement refusé : ${removed} des ${present.length} comptes de l’établissement ${uai} seraient retirés, plus de la moitié.`,
      `  avant : ${line(before)}`,
      `  après : ${line(after)}`,
      'Vérifiez les fichiers ; si c’est bien voulu, relancez avec --force.',
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
    'Corrections :',
    `  vérifiées par cet import : ${r.verified}`,
    `  contredites par cet import : ${r.contradicted.length}`,
    `  encore à vérifier (hors export, ou pas encore faites) : ${r.open}`,
  ];
  for (const c of r.contradicted) {
    const who = c.person ? `${c.person.nom} ${c.person.prenom}` : 'Console PRONOTE.net';
    const what = c.changes
      .map((ch) =>
        c.seen === null
          ? `${fieldLabel(ch.field)} attendu « ${valueLabel(ch.field, ch.after)} »`
          : `${fieldLabel(ch.field)} attendu « ${valueLabel(ch.field, ch.after)} », trouvé « ${valueLabel(ch.field, c.seen[ch.field])} »`,
      )
      .join(' ; ');
    lines.push(
      `  contredite : ${who} (${KIND_LABELS[c.kind]}) : ${c.seen === null ? 'absent de l’export ; ' : ''}${what}`,
    );
  }
  return lines;
}

/** The summary the CLI prints, in French. */
export function formatSummary(s: ImportSummary): string {
  const lines = [
    `Établissement ${s.uai} « ${s.name} » importé :`,
    ...PROFILES.filter((p) => s.counts[p] > 0 || s.before[p] > 0).map(
      (p) => `  ${PROFILE_LABELS[p]} : ${s.counts[p]} (avant : ${s.before[p]})`,
    ),
    `  liens élève–responsable : ${s.links}`,
  ];
  if (s.entAccounts !== null) lines.push(`  comptes ENT : ${s.entAccounts}`);
  if (s.unlinked.length > 0) {
    lines.push('Enfants non reliés (aucun élève de ce nom, ou plusieurs) :');
    for (const u of s.unlinked) lines.push(`  ${u.path}, ligne ${u.line} : « ${u.child} »`);
  }
  lines.push(...correctionLines(s.corrections));
  return lines.join('\n');
}
