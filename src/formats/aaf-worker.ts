import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { AafIdentity } from '../ent/aaf-port.js';
import { AafReader } from './aaf.js';
import { ExportError } from './pronote-export.js';

/**
 * Files of a region's AAF delivery parsed on a thread of their own, one after the other as the main
 * thread hands them over, while it stores what was read. People go back in batches; the thread waits
 * when too many are not yet stored, so a store slower than the parsers never lets a file pile up in
 * memory.
 */

export type ToWorker =
  | {
      type: 'file';
      path: string;
      batch: number;
      ahead: number;
      /** UAI by `ENTStructureJointure`, from the delivery's structures file. */
      structures: [string, string][];
    }
  | { type: 'stored' };

export type FromWorker =
  | { type: 'batch'; rows: AafIdentity[] }
  | { type: 'done'; people: number; structures: number; unplaced: number }
  | { type: 'refused'; message: string }
  | { type: 'unreadable'; message: string };

/** The file read again, counting lines this time, for the refusal with its line and column. */
async function whereRefused(path: string, fast: ExportError): Promise<string> {
  const reader = new AafReader(() => {});
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
      reader.write(chunk as Buffer);
    reader.end();
  } catch (err) {
    if (err instanceof ExportError) return err.message;
    throw err;
  }
  return fast.message;
}

const port = parentPort;
if (port) {
  const send = (message: FromWorker) => port.postMessage(message);
  let unacknowledged = 0;
  let resume: (() => void) | null = null;

  async function parse({
    path,
    batch,
    ahead,
    structures,
  }: Extract<ToWorker, { type: 'file' }>): Promise<void> {
    const uaiOf = new Map(structures);
    let rows: AafIdentity[] = [];
    let unplaced = 0;
    const reader = new AafReader(
      ({ person, schools: named, structures: values }) => {
        const schools = new Set(named);
        for (const v of values) {
          const uai = uaiOf.get(v);
          if (uai) schools.add(uai);
        }
        if (schools.size === 0) unplaced += 1;
        for (const uai of schools) {
          rows.push({
            uai,
            sourceId: person.sourceId,
            profile: person.profile,
            nom: person.nom,
            nomNaissance: person.nomNaissance ?? null,
            prenom: person.prenom,
            dateNaissance: person.dateNaissance ?? null,
            codePostal: person.codePostal ?? null,
          });
        }
      },
      { lines: false },
    );
    const flush = async () => {
      send({ type: 'batch', rows });
      rows = [];
      unacknowledged += 1;
      while (unacknowledged >= ahead) await new Promise<void>((r) => (resume = r));
    };
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        reader.write(chunk as Buffer);
        if (rows.length >= batch) await flush();
      }
      const totals = reader.end();
      if (rows.length > 0) await flush();
      send({ type: 'done', people: totals.people, structures: totals.structures, unplaced });
    } catch (err) {
      if (err instanceof ExportError) send({ type: 'refused', message: await whereRefused(path, err) });
      else if (err instanceof Error && 'code' in err) send({ type: 'unreadable', message: err.message });
      else throw err;
    }
  }

  port.on('message', (message: ToWorker) => {
    if (message.type === 'stored') {
      unacknowledged -= 1;
      resume?.();
      resume = null;
    } else void parse(message);
  });
}
