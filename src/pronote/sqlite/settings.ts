import type { Database } from 'better-sqlite3';
import type { Synchronous } from '../../store/sqlite/promised.js';
import { newBatchId } from '../audit.js';
import { ConflictError, SchoolNotFoundError } from '../errors.js';
import type { PronotePort, WriteContext } from '../port.js';
import {
  IDENTIFICATION_MODE_FIELD,
  type IdentificationMode,
  identificationModeSchema,
  type SchoolSettings,
} from '../school-settings.js';
import { auditEntry, diff } from '../write-rules.js';
import { versionSchema, writeContextSchema } from '../write-schemas.js';
import type { AuditLog } from './audit.js';

interface SettingsRow {
  identification_mode: IdentificationMode;
  settings_version: number;
}

/** The school's settings row: read, and written with its version bumped once. */
export function settingsRows(db: Database) {
  const read = db.prepare<[string], SettingsRow>(
    'SELECT identification_mode, settings_version FROM pronote_schools WHERE uai = ?',
  );
  const update = db.prepare(
    'UPDATE pronote_schools SET identification_mode = ?, settings_version = settings_version + 1 WHERE uai = ?',
  );
  const get = (uai: string): SchoolSettings | null => {
    const row = read.get(uai);
    return row ? { uai, identificationMode: row.identification_mode, version: row.settings_version } : null;
  };
  return {
    get,
    write: (uai: string, mode: IdentificationMode): SchoolSettings => {
      update.run(mode, uai);
      return get(uai) as SchoolSettings;
    },
  };
}

type Methods = Pick<Synchronous<PronotePort>, 'getSchoolSettings' | 'setIdentificationMode'>;

export function sqliteSettings(db: Database, audit: AuditLog): Methods {
  const rows = settingsRows(db);
  const set = db.transaction(
    (uai: string, mode: IdentificationMode, expectedVersion: number, ctx: WriteContext) => {
      const current = rows.get(uai);
      if (!current) throw new SchoolNotFoundError(uai);
      if (current.version !== expectedVersion) throw new ConflictError([]);
      const batchId = newBatchId();
      const change = diff(
        { [IDENTIFICATION_MODE_FIELD]: current.identificationMode },
        { [IDENTIFICATION_MODE_FIELD]: mode },
      );
      if (!change.changed) return { batchId, records: [current], entries: [] };
      const next = rows.write(uai, mode);
      const batch = { batchId, ctx, uai, action: 'set-identification-mode' as const, undoOf: null };
      const entries = audit.append([auditEntry(batch, null, change, next.version)]);
      return { batchId, records: [next], entries };
    },
  );
  return {
    getSchoolSettings: (uai) => rows.get(uai),
    setIdentificationMode: (uai, mode, expectedVersion, ctx) =>
      set.immediate(
        uai,
        identificationModeSchema.parse(mode),
        versionSchema.parse(expectedVersion),
        writeContextSchema.parse(ctx),
      ),
  };
}
