import { createReadStream } from 'node:fs';
import type { AafIdentities, AafIdentity } from '../ent/aaf-port.js';
import { type AafPerson, AafReader } from './aaf.js';
import { ExportError } from './pronote-export.js';

/**
 * A region's AAF delivery loaded whole: every file streamed from the disk (never held), each person
 * stored in every school its `ENTPersonStructRattach` names, all in one transaction. A delivery is split
 * by category and size (`ENT_Complet_…_Eleve_0000.xml`, `_0001`…), so a school's people come from
 * several files; a refused file leaves every school as it was.
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
const CHUNK_BYTES = 1 << 20;

const identities = ({ person, schools }: AafPerson): AafIdentity[] =>
  schools.map((uai) => ({
    uai,
    sourceId: person.sourceId,
    profile: person.profile,
    nom: person.nom,
    nomNaissance: person.nomNaissance ?? null,
    prenom: person.prenom,
    dateNaissance: person.dateNaissance ?? null,
    codePostal: person.codePostal ?? null,
  }));

/** Each file's people in batches, read one chunk at a time. */
async function* batchesOf(
  paths: readonly string[],
  reports: RegionFileReport[],
): AsyncGenerator<AafIdentity[]> {
  for (const path of paths) {
    const report: RegionFileReport = { path, people: 0, structures: 0, unplaced: 0 };
    let batch: AafIdentity[] = [];
    const reader = new AafReader((read) => {
      if (read.schools.length === 0) report.unplaced += 1;
      else for (const row of identities(read)) batch.push(row);
    });
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
        reader.write(chunk as Buffer);
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      const totals = reader.end();
      report.people = totals.people;
      report.structures = totals.structures;
    } catch (err) {
      if (err instanceof ExportError) throw new RegionImportError(`${path} : ${err.message}`);
      if (err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'EISDIR')) {
        throw new RegionImportError(`Fichier introuvable ou illisible : ${path}`);
      }
      throw err;
    }
    if (batch.length > 0) yield batch;
    reports.push(report);
  }
}

export async function importAafRegion(
  store: AafIdentities,
  paths: readonly string[],
): Promise<RegionSummary> {
  const files: RegionFileReport[] = [];
  const { schools, people } = await store.loadRegion(batchesOf(paths, files));
  return { files, schools, stored: people };
}

/** What the CLI prints: each file, then the region. */
export function formatRegionSummary(s: RegionSummary): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('fr-FR')} ${word}${n > 1 ? 's' : ''}`;
  return [
    ...s.files.map((f) =>
      [
        `${f.path} : lu comme annuaire AAF, ${plural(f.people, 'personne')}`,
        f.structures > 0 ? ` (non repris : structures : ${f.structures})` : '',
        f.unplaced > 0
          ? ` (non repris : aucun établissement désigné par son UAI dans ENTPersonStructRattach : ${f.unplaced})`
          : '',
      ].join(''),
    ),
    `Annuaire AAF de la région importé : ${plural(s.schools, 'établissement')}, ${plural(s.stored, 'identité')} (une par personne et établissement).`,
  ].join('\n');
}
