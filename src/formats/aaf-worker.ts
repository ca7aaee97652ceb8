import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { AafIdentity } from '../ent/aaf-port.js';
import { AafReader } from './aaf.js';
import { ExportError } from './pronote-export.js';

/**
 * One file of a region's AAF delivery parsed on a thread of its own, while the main thread stores what
 * the others have read. People go back in batches; the thread waits when too many are not yet stored,
 * so a store slower than the parsers never lets the whole file pile up in memory.
 */

export interface WorkerJob {
  path: string;
  batch: number;
  /** Batches sent and not yet stored before the thread waits. */
  ahead: number;
}

export type WorkerMessage =
  | { type: 'batch'; rows: AafIdentity[] }
  | { type: 'done'; people: number; structures: number; unplaced: number }
  | { type: 'refused'; message: string }
  | { type: 'unreadable'; message: string };

const port = parentPort;
if (port) {
  const job = workerData as WorkerJob;
  const send = (message: WorkerMessage) => port.postMessage(message);
  let unacknowledged = 0;
  let resume: (() => void) | null = null;
  port.on('message', () => {
    unacknowledged -= 1;
    resume?.();
    resume = null;
  });
  let rows: AafIdentity[] = [];
  let unplaced = 0;
  const reader = new AafReader(({ person, schools }) => {
    if (schools.length === 0) unplaced += 1;
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
  });
  const flush = async () => {
    send({ type: 'batch', rows });
    rows = [];
    unacknowledged += 1;
    while (unacknowledged >= job.ahead) await new Promise<void>((r) => (resume = r));
  };
  try {
    for await (const chunk of createReadStream(job.path, { highWaterMark: 1 << 20 })) {
      reader.write(chunk as Buffer);
      if (rows.length >= job.batch) await flush();
    }
    const totals = reader.end();
    if (rows.length > 0) await flush();
    send({ type: 'done', people: totals.people, structures: totals.structures, unplaced });
  } catch (err) {
    if (err instanceof ExportError) send({ type: 'refused', message: err.message });
    else if (err instanceof Error && 'code' in err) send({ type: 'unreadable', message: err.message });
    else throw err;
  }
}
