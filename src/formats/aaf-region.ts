import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AafIdentities, AafIdentity } from '../ent/aaf-port.js';
import { AafReader } from './aaf.js';
import type { FromWorker, ToWorker } from './aaf-worker.js';
import type { SchoolPerson } from './people.js';
import { ExportError } from './pronote-export.js';

/**
 * A region's AAF delivery loaded whole: every file streamed from the disk (never held), each person
 * stored in every school its `ENTPersonStructRattach` names, all in one transaction. A delivery is split
 * by category and size (`ENT_Complet_…_Eleve_0000.xml`, `_0001`…), so a school's people come from
 * several files; a refused file leaves every school as it was. Files are parsed on threads of their own
 * (as many as the machine has cores) while the main thread stores: parsing a gigabyte of XML is most of
 * the work.
 */

export interface RegionFileReport {
  path: string;
  people: number;
  structures: number;
  /** People whose record names no school by UAI: not stored, counted here. */
  unplaced: number;
}

export interface RegionSummary {
  files: RegionFileReport[];
  schools: number;
  /** Rows stored: one per person and school. */
  stored: number;
}

/** A refused delivery: the file, then the line and element (French). */
export class RegionImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegionImportError';
  }
}

/** Rows handed to the store at once: a transaction's statements stay small, the memory held too. */
const BATCH = 5000;
/** Batches a parsing thread may have read ahead of the store. */
const AHEAD = 4;

/**
 * The worker's module beside this one: JavaScript once built; from the sources (tsx, tests), a thread
 * does not inherit the parent's TypeScript loader, so it registers tsx before importing the module.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./aaf-worker.js', import.meta.url));
  const url = JSON.stringify(new URL('./aaf-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${url}); })`, {
    eval: true,
  });
}

/** A structures file (`EtabEducNat`): its first record has a `categorieStructure`, not a `categoriePersonne`. */
async function isStructuresFile(path: string): Promise<boolean> {
  try {
    const file = await open(path);
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(16_384), 0, 16_384, 0);
      const head = buffer.subarray(0, bytesRead).toString('latin1');
      const structure = head.indexOf('categorieStructure');
      const person = head.indexOf('categoriePersonne');
      return structure !== -1 && (person === -1 || structure < person);
    } finally {
      await file.close();
    }
  } catch {
    // Unreadable: the thread that reads it says so.
    return false;
  }
}

/** A structures file read first, on this thread (a few hundred records): each structure's UAI by its jointure. */
async function readStructures(path: string, uaiOf: Map<string, string>): Promise<RegionFileReport> {
  const reader = new AafReader(() => {}, { onStructure: (jointure, uai) => uaiOf.set(jointure, uai) });
  try {
    for await (const chunk of createReadStream(path)) reader.write(chunk as Buffer);
    const totals = reader.end();
    // People in a structures file are not read from it: counted apart.
    return { path, people: totals.people, structures: totals.structures, unplaced: totals.people };
  } catch (err) {
    if (err instanceof ExportError) throw new RegionImportError(`${path} : ${err.message}`);
    throw err;
  }
}

type Event = { worker: Worker; message: FromWorker } | { failure: Error };

/**
 * Every file's people in batches, as the parsing threads send them (each thread takes the next file when
 * it is done with one); a refused file stops them all.
 */
async function* batchesOf(
  paths: readonly string[],
  reports: RegionFileReport[],
): AsyncGenerator<AafIdentity[]> {
  const uaiOf = new Map<string, string>();
  const waiting: string[] = [];
  for (const path of paths) {
    if (await isStructuresFile(path)) reports.push(await readStructures(path, uaiOf));
    else waiting.push(path);
  }
  const structures = [...uaiOf];
  if (waiting.length === 0) return;
  const fileOf = new Map<Worker, string>();
  const events: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (event: Event) => {
    events.push(event);
    wake?.();
    wake = null;
  };
  const tell = (worker: Worker, message: ToWorker) => worker.postMessage(message);
  const next = (worker: Worker) => {
    const path = waiting.shift();
    if (path === undefined) return;
    fileOf.set(worker, path);
    tell(worker, { type: 'file', path, batch: BATCH, ahead: AHEAD, structures });
  };
  const workers = Array.from(
    { length: Math.max(1, Math.min(waiting.length, availableParallelism())) },
    () => {
      const worker = startWorker();
      worker.on('message', (message: FromWorker) => push({ worker, message }));
      worker.on('error', (failure) => push({ failure }));
      return worker;
    },
  );
  try {
    for (const worker of workers) next(worker);
    while (fileOf.size > 0) {
      const event = events.shift();
      if (event === undefined) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if ('failure' in event) throw event.failure;
      const { worker, message } = event;
      const path = fileOf.get(worker) ?? '';
      switch (message.type) {
        case 'batch':
          yield message.rows;
          tell(worker, { type: 'stored' });
          break;
        case 'done':
          reports.push({
            path,
            people: message.people,
            structures: message.structures,
            unplaced: message.unplaced,
          });
          fileOf.delete(worker);
          next(worker);
          break;
        case 'refused':
          throw new RegionImportError(`${path} : ${message.message}`);
        case 'unreadable':
          throw new RegionImportError(`Fichier introuvable ou illisible : ${path}`);
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // In the order given, whatever order the threads finished in.
  reports.sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path));
}

export async function importAafRegion(
  store: AafIdentities,
  paths: readonly string[],
): Promise<RegionSummary> {
  const files: RegionFileReport[] = [];
  const { schools, people } = await store.loadRegion(batchesOf(paths, files));
  return { files, schools, stored: people };
}

/** A school's stored identities as the import reads an AAF file's people (no line: they come from the base). */
export const storedAafPeople = (identities: readonly AafIdentity[]): SchoolPerson[] =>
  identities.map((a) => ({
    line: 0,
    sourceId: a.sourceId,
    profile: a.profile,
    nom: a.nom,
    ...(a.nomNaissance ? { nomNaissance: a.nomNaissance } : {}),
    prenom: a.prenom,
    ...(a.dateNaissance ? { dateNaissance: a.dateNaissance } : {}),
    ...(a.codePostal ? { codePostal: a.codePostal } : {}),
  }));

/** What the CLI prints: each file, then the region. */
export function formatRegionSummary(s: RegionSummary): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('fr-FR')} ${word}${n > 1 ? 's' : ''}`;
  return [
    ...s.files.map((f) =>
      [
        `${f.path} : lu comme annuaire AAF, ${plural(f.people, 'personne')}`,
        f.structures > 0
          ? `, ${plural(f.structures, 'structure')} (établissements : UAI par ENTStructureJointure)`
          : '',
        f.unplaced > 0
          ? ` (non repris : aucun établissement connu dans ENTPersonStructRattach, ni UAI ni structure du fichier EtabEducNat : ${f.unplaced})`
          : '',
      ].join(''),
    ),
    `Annuaire AAF de la région importé : ${plural(s.schools, 'établissement')}, ${plural(s.stored, 'identité')} (une par personne et établissement).`,
  ].join('\n');
}
