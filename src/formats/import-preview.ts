import type { NewAccount, PronoteAccount } from '../pronote/model.js';

/**
 * What an import would change in a school's copy of PRONOTE, person by person: who comes, who goes, whose
 * fields change. Pure: the upload page shows it before the agent confirms.
 */

const COMPARED = [
  'nom',
  'prenom',
  'dateNaissance',
  'casId',
  'pronoteEntId',
  'classe',
  'espaceParents',
  'email',
] as const satisfies readonly (keyof NewAccount)[];

export type ComparedField = (typeof COMPARED)[number];

export interface ImportPreview {
  added: NewAccount[];
  removed: PronoteAccount[];
  changed: Array<{ before: PronoteAccount; after: NewAccount; fields: ComparedField[] }>;
  unchanged: number;
}

export function previewChanges(
  present: readonly PronoteAccount[],
  incoming: readonly NewAccount[],
): ImportPreview {
  const now = new Map(present.map((a) => [a.id, a]));
  const ids = new Set(incoming.map((a) => a.id));
  const preview: ImportPreview = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const after of incoming) {
    const before = now.get(after.id);
    if (!before) {
      preview.added.push(after);
      continue;
    }
    const fields = COMPARED.filter((f) => (before[f] ?? null) !== (after[f] ?? null));
    if (fields.length > 0) preview.changed.push({ before, after, fields });
    else preview.unchanged += 1;
  }
  preview.removed = present.filter((a) => !ids.has(a.id));
  return preview;
}
