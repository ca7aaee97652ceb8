import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AafReader } from '../src/formats/aaf.js';
import { importAafRegion } from '../src/formats/aaf-region.js';
import { pgStores, sqliteStores } from '../src/server/stores.js';
import { openPostgres } from '../src/store/pg/pool.js';
import { openDatabase } from '../src/store/sqlite/database.js';
import { type Person, rng, schoolPeople } from './names.js';
import { ROOT } from './server.js';

const CHILD = '--region-import-child';

export interface RegionImportOptions {
  /** Where the AAF files are written. */
  workDir: string;
  /** A fresh data folder to load into (SQLite). */
  dataDir: string;
  /** A PostgreSQL database to load into as well (emptied first). */
  databaseUrl?: string;
  schools: number;
  perSchool: number;
}

export interface RegionLoad {
  /** Reading every file and storing every person, in one transaction. */
  totalMs: number;
  /** CPU time of the process over the same span (user + system, every thread). */
  cpuMs: number;
  /** Peak resident memory of the process. */
  maxRssBytes: number;
  stored: number;
  schools: number;
}

export interface RegionImportResult {
  people: number;
  bytes: number;
  files: Array<{ name: string; records: number; bytes: number }>;
  /** The files read alone, nothing stored: what the parsing costs. */
  readMs: number;
  readCpuMs: number;
  sqlite: RegionLoad;
  postgres: RegionLoad | null;
}

/** Records per file, as a delivery splits its categories (`_0000`, `_0001`…). */
const PER_FILE = 100_000;
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const uaiOf = (s: number) => `0${130000 + s}${LETTERS[s % LETTERS.length]}`;
/** People name their schools by structure id, as an académie's delivery does; its EtabEducNat file maps them. */
const structureOf = (s: number) => String(10_000 + s);
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const xml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
const attr = (name: string, ...values: string[]) =>
  `<attr name="${name}">${values.length === 0 ? '<value/>' : values.map((v) => `<value>${xml(v)}</value>`).join('')}</attr>\n`;
const CITIES = [
  ['13001', 'MARSEILLE'],
  ['13100', 'AIX-EN-PROVENCE'],
  ['84000', 'AVIGNON'],
  ['04000', 'DIGNE-LES-BAINS'],
  ['05000', 'GAP'],
  ['13200', 'ARLES'],
] as const;

/** One `addRequest` as an académie's delivery writes it (the attributes the ENT reads, most of them empty or not). */
function record(category: string, id: string, attributes: string, kind = 'categoriePersonne'): string {
  return `<addRequest>
<operationalAttributes><attr name="${kind}"><value>${category}</value></attr></operationalAttributes>
<identifier><id>${id}</id></identifier>
<attributes>
${attributes}</attributes>
</addRequest>
`;
}

/** A category's files, each closed at PER_FILE records and the next one opened. */
class CategoryFiles {
  private fd = -1;
  private inFile = 0;
  private buffer = '';
  readonly files: Array<{ name: string; path: string; records: number; bytes: number }> = [];
  constructor(
    private readonly dir: string,
    private readonly category: string,
  ) {}

  add(text: string): void {
    if (this.fd === -1 || this.inFile === PER_FILE) this.next();
    this.buffer += text;
    this.inFile += 1;
    const file = this.files.at(-1);
    if (file) file.records += 1;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  close(): void {
    if (this.fd === -1) return;
    this.buffer += '</ficAlimMENESR>\n';
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  private next(): void {
    this.close();
    const name = `ENT_Complet_20250901_${this.category}_${String(this.files.length).padStart(4, '0')}.xml`;
    const path = join(this.dir, name);
    this.fd = openSync(path, 'w');
    this.inFile = 0;
    this.files.push({ name, path, records: 0, bytes: 0 });
    this.buffer =
      '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n';
  }

  private flush(): void {
    const bytes = Buffer.from(this.buffer);
    writeSync(this.fd, bytes);
    const file = this.files.at(-1);
    if (file) file.bytes += bytes.length;
    this.buffer = '';
  }
}

/**
 * Writes the delivery of a region of `schools × perSchool` people: pupils, their responsables (birth
 * date empty, as the AAF leaves it), teachers and staff (one in ten in two schools), in files of
 * PER_FILE records per category. Generated school by school: never the region in memory.
 */
function writeRegion(options: RegionImportOptions) {
  const r = rng(2025_09_01);
  const eleves = new CategoryFiles(options.workDir, 'Eleve');
  const parents = new CategoryFiles(options.workDir, 'PersRelEleve');
  const staff = new CategoryFiles(options.workDir, 'PersEducNat');
  const structures = new CategoryFiles(options.workDir, 'EtabEducNat');
  let id = 1_000_000;
  let people = 0;
  for (let s = 0; s < options.schools; s += 1) {
    const uai = structureOf(s);
    structures.add(
      record(
        'EtabEducNat',
        uai,
        `${attr('ENTStructureJointure', uai)}${attr('ENTStructureUAI', uaiOf(s))}${attr('ENTStructureNomCourant', `COLLEGE N ${s + 1}`)}${attr('ENTStructureTypeStruct', 'COLLEGE')}`,
        'categorieStructure',
      ),
    );
    const [cp, ville] = CITIES[s % CITIES.length] as (typeof CITIES)[number];
    const family = new Map<number, { pupils: string[]; parents: string[] }>();
    const ids = schoolPeople(r, options.perSchool).map((p, i): [Person, string] => [p, String(id + i)]);
    id += ids.length;
    for (const [p, pid] of ids) {
      const f = family.get(p.family) ?? { pupils: [], parents: [] };
      family.set(p.family, f);
      (p.profile === 'eleve' ? f.pupils : f.parents).push(pid);
    }
    for (const [p, pid] of ids) {
      people += 1;
      const nom = p.nom.toUpperCase();
      const address = attr('ENTPersonAdresse', `${1 + Math.floor(r() * 120)} rue des Écoles$$$`);
      const where = `${attr('ENTPersonCodePostal', cp)}${attr('ENTPersonVille', ville)}${attr('ENTPersonPays', 'FRANCE')}`;
      const common = `${attr('ENTPersonJointure', pid)}${attr('ENTPersonNomPatro', nom)}${attr('sn', nom)}${attr('givenName', p.prenom)}`;
      if (p.profile === 'eleve') {
        const f = family.get(p.family);
        eleves.add(
          record(
            'Eleve',
            pid,
            `${common}${attr('ENTPersonDateNaissance', frDate(p.dateNaissance ?? '2012-01-01'))}${attr('personalTitle', r() < 0.5 ? 'M.' : 'Mme')}${attr('ENTEleveINE', `${pid}AB`)}${attr('ENTElevePersRelEleve', ...(f?.parents ?? []).map((x) => `${x}$10$1$1$1$1`))}${address}${where}${attr('ENTEleveMEF', '10010012110')}${attr('ENTEleveLibelleMEF', p.classe?.slice(0, 1) === '6' ? '6EME' : '5EME')}${attr('ENTPersonStructRattach', uai)}${attr('ENTEleveClasses', `${uai}$${p.classe ?? '6A'}`)}`,
          ),
        );
      } else if (p.profile === 'responsable') {
        const f = family.get(p.family);
        parents.add(
          record(
            'PersRelEleve',
            pid,
            `${common}${attr('ENTPersonDateNaissance')}${attr('personalTitle', r() < 0.5 ? 'M.' : 'Mme')}${attr('mail')}${address}${where}${attr('ENTPersonStructRattach', uai)}${attr('ENTAuxPersRelEleveEleve', ...(f?.pupils ?? []))}`,
          ),
        );
      } else {
        const schools = r() < 0.1 ? [uai, structureOf((s + 1) % options.schools)] : [uai];
        const teaches = p.profile === 'professeur';
        staff.add(
          record(
            'PersEducNat',
            pid,
            `${common}${attr('ENTPersonDateNaissance', frDate(p.dateNaissance ?? '1980-01-01'))}${attr('personalTitle', r() < 0.6 ? 'Mme' : 'M.')}${attr('mail')}${attr('ENTPersonStructRattach', ...schools)}${attr('ENTPersonFonctions', ...schools.map((u) => (teaches ? `${u}$ENS$ENSEIGNEMENT$L0202$LETTRES MODERNES` : `${u}$ADF$ADMINISTRATION$A0010$SECRETARIAT`)))}${attr('PersEducNatPresenceDevantEleves', teaches ? 'O' : 'N')}`,
          ),
        );
      }
    }
  }
  for (const c of [structures, eleves, parents, staff]) c.close();
  return { people, files: [...eleves.files, ...parents.files, ...staff.files, ...structures.files] };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** The timed part, in a process of its own (as `npm run import -- --region` is). */
async function child(args: {
  mode: 'read' | 'sqlite' | 'postgres';
  paths: string[];
  dataDir: string;
  url?: string;
}) {
  if (args.mode === 'read') {
    const start = performance.now();
    const cpu = process.cpuUsage();
    let people = 0;
    for (const path of args.paths) {
      const reader = new AafReader(() => {
        people += 1;
      });
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
        reader.write(chunk as Buffer);
      reader.end();
    }
    return { totalMs: performance.now() - start, cpuMs: cpuMs(process.cpuUsage(cpu)), people };
  }
  if (args.mode === 'postgres' && args.url) {
    const pool = openPostgres(args.url);
    await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await pool.end();
  }
  const stores =
    args.mode === 'postgres' && args.url
      ? await pgStores(args.url)
      : sqliteStores(openDatabase(args.dataDir));
  const start = performance.now();
  const cpu = process.cpuUsage();
  const summary = await importAafRegion(stores.aaf, args.paths);
  const totalMs = performance.now() - start;
  const used = cpuMs(process.cpuUsage(cpu));
  await stores.close();
  return {
    totalMs,
    cpuMs: used,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    stored: summary.stored,
    schools: summary.schools,
    files: summary.files.length,
  };
}

if (process.argv[2] === CHILD) {
  process.stdout.write(JSON.stringify(await child(JSON.parse(process.argv[3] ?? '{}'))));
}

function run<T>(args: object): T {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/region-import.ts', CHILD, JSON.stringify(args)],
    { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 1 << 20 },
  );
  if (out.status !== 0) throw new Error(`region import failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as T;
}

/**
 * Writes a region's AAF delivery, then loads it through `npm run import -- --region`'s path in a fresh
 * process per store (the generator's garbage is not collected on the clock), timed from the first byte
 * read to the commit; and once more read alone, nothing stored.
 */
export function regionImportBench(options: RegionImportOptions): RegionImportResult {
  const { people, files } = writeRegion(options);
  const paths = files.map((f) => f.path);
  const read = run<{ totalMs: number; cpuMs: number; people: number }>({ mode: 'read', paths, dataDir: '' });
  if (read.people !== people) throw new Error(`read ${read.people} people of ${people}`);
  const sqlite = run<RegionLoad>({ mode: 'sqlite', paths, dataDir: options.dataDir });
  // Every person placed in a school through the structures file: nobody left out.
  if (sqlite.stored < people) throw new Error(`stored ${sqlite.stored} identities for ${people} people`);
  const postgres = options.databaseUrl
    ? run<RegionLoad>({ mode: 'postgres', paths, dataDir: '', url: options.databaseUrl })
    : null;
  return {
    people,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    files: files.map(({ name, records, bytes }) => ({ name, records, bytes })),
    readMs: read.totalMs,
    readCpuMs: read.cpuMs,
    sqlite,
    postgres,
  };
}
