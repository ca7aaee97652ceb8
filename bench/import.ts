import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { formatSummary, importSchool } from '../src/formats/school-import.js';
import type { Profile } from '../src/pronote/model.js';
import { sqliteStores } from '../src/server/stores.js';
import { openDatabase } from '../src/store/sqlite/database.js';
import { type Person, pronoteNom, rng, schoolPeople } from './names.js';
import { ROOT } from './server.js';

const CHILD = '--import-child';

export interface ImportOptions {
  /** Where the CSV files are written. */
  workDir: string;
  /** A fresh data folder to import into. */
  dataDir: string;
  rows: number;
}

export interface ImportResult {
  rows: number;
  bytes: number;
  files: Array<{ profile: Profile; rows: number }>;
  /** Reading the files, parsing, checking, linking and loading in one transaction. */
  totalMs: number;
  summary: string;
}

const frDate = (iso: string | null) =>
  iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '';
const asciiLogin = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');

/** A cell as Excel writes it: quoted when it holds the separator, a quote or a line break. */
const cell = (v: string) => (/[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/**
 * PRONOTE's « Copier la liste (format CSV) » pasted into Excel and saved as CSV on a French Windows:
 * `;`, Windows-1252, CRLF; one file per profile.
 */
function exportFiles(people: Person[], r: () => number) {
  let login = 0;
  const casId = (p: Person) => (r() < 0.7 ? `${asciiLogin(p.prenom)}.${asciiLogin(p.nom)}${++login}` : '');
  const files: Array<{ profile: Profile; header: string[]; rows: string[][] }> = [
    { profile: 'eleve', header: ['Nom', 'Prénom', 'Né(e) le', 'Classe', 'Identifiant CAS'], rows: [] },
    {
      profile: 'responsable',
      header: ['Nom', 'Prénom', 'Né(e) le', 'Esp. par.', 'Adresse E-mail', 'Enfants', 'Identifiant CAS'],
      rows: [],
    },
    {
      profile: 'professeur',
      header: ['Nom', 'Prénom', 'Né(e) le', 'Identifiant CAS', 'Adresse E-mail'],
      rows: [],
    },
  ];
  const [eleves, responsables, professeurs] = files;
  for (const p of people) {
    const nom = pronoteNom(r, p.nom);
    const born = frDate(p.dateNaissance);
    const email = r() < 0.5 ? `${asciiLogin(p.prenom)}.${asciiLogin(p.nom)}@example.fr` : '';
    if (p.profile === 'eleve') eleves?.rows.push([nom, p.prenom, born, p.classe ?? '', casId(p)]);
    else if (p.profile === 'responsable') {
      const access = r() < 0.9 ? 'Oui' : 'Non';
      responsables?.rows.push([nom, p.prenom, born, access, email, p.enfants.join(', '), casId(p)]);
    } else professeurs?.rows.push([nom, p.prenom, born, casId(p), email]);
  }
  return files.map((f) => ({
    profile: f.profile,
    rows: f.rows.length,
    bytes: iconv.encode(
      `${[f.header, ...f.rows].map((row) => row.map(cell).join(';')).join('\r\n')}\r\n`,
      'windows-1252',
    ),
  }));
}

/** The timed part, in a process of its own (as `npm run import` is): read, parse, check, load. */
async function importFiles(dataDir: string, files: Array<{ path: string; profile: Profile }>) {
  const stores = sqliteStores(openDatabase(dataDir));
  const start = performance.now();
  const summary = await importSchool(stores, {
    uai: '0139999Z',
    name: 'Cité scolaire (banc d’essai)',
    pronote: files.map((f) => ({ path: f.path, profile: f.profile, bytes: readFileSync(f.path) })),
    replace: false,
  });
  const totalMs = performance.now() - start;
  await stores.close();
  return { totalMs, summary: formatSummary(summary) };
}

if (process.argv[2] === CHILD) {
  const { dataDir, files } = JSON.parse(process.argv[3] ?? '{}');
  process.stdout.write(JSON.stringify(await importFiles(dataDir, files)));
}

/**
 * Writes a `rows`-line export, then imports it through the import CLI's path in a fresh process (the
 * generator's garbage is not collected on the clock), timed from reading the files to the commit.
 */
export function importBench(options: ImportOptions): ImportResult {
  const r = rng(42);
  const files = exportFiles(schoolPeople(r, options.rows), r).map((f) => {
    const path = join(options.workDir, `${f.profile}s.csv`);
    writeFileSync(path, f.bytes);
    return { ...f, path };
  });
  const args = { dataDir: options.dataDir, files: files.map((f) => ({ path: f.path, profile: f.profile })) };
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/import.ts', CHILD, JSON.stringify(args)],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (child.status !== 0) throw new Error(`import failed (${child.status}): ${child.stderr}`);
  const { totalMs, summary } = JSON.parse(child.stdout) as { totalMs: number; summary: string };
  return {
    rows: files.reduce((n, f) => n + f.rows, 0),
    bytes: files.reduce((n, f) => n + f.bytes.length, 0),
    files: files.map((f) => ({ profile: f.profile, rows: f.rows })),
    totalMs,
    summary,
  };
}
