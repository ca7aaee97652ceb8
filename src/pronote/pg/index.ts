import type { PgPool } from '../../store/pg/pool.js';
import type { PronoteLoader, PronotePort } from '../port.js';
import { pgAuditLog } from './audit.js';
import { pgCorrections } from './corrections.js';
import { pgLoader } from './load.js';
import { pgReads } from './reads.js';
import { migratePronotePg } from './schema.js';
import { pgSettings } from './settings.js';
import { pgUndo } from './undo.js';
import { pgWrites } from './writes.js';

/**
 * The PRONOTE port on PostgreSQL, shared by several instances: the schools' accounts beside the audit
 * journal, so that a fix and its audit entry share one transaction. Answers exactly as `sqlitePronote`.
 *
 * @example
 * const pronote = await pgPronote(openPostgres(process.env.DATABASE_URL));
 * await pronote.findByCasId('0130001A', 'florence.gervais');
 */
export async function pgPronote(pool: PgPool): Promise<PronotePort & PronoteLoader> {
  await migratePronotePg(pool);
  const audit = await pgAuditLog(pool);
  // Writes go through the corrections' journal: each fix's audit entries record its corrections.
  const corrections = await pgCorrections(pool, audit);
  return {
    ...pgReads(pool),
    ...pgWrites(pool, corrections.journal),
    ...pgSettings(pool, corrections.journal),
    ...pgLoader(pool),
    ...corrections.methods,
    undo: pgUndo(pool, corrections.journal, corrections.ensureUndoable),
    listAudit: (query) => audit.list(pool, query),
    getAuditEntry: (id) => audit.get(pool, id),
    getAuditBatch: async (id) => {
      const entry = await audit.get(pool, id);
      return audit.entriesOf(pool, entry ? entry.batchId : id);
    },
  };
}
