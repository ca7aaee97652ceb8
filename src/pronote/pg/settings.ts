import { type PgPool, type PgQueryable, withTransaction } from '../../store/pg/pool.js';
import { newBatchId } from '../audit.js';
import { ConflictError, SchoolNotFoundError } from '../errors.js';
import type { PronotePort } from '../port.js';
import {
  IDENTIFICATION_MODE_FIELD,
  type IdentificationMode,
  identificationModeSchema,
  type SchoolSettings,
} from '../school-settings.js';
import { auditEntry, diff } from '../write-rules.js';
import { versionSchema, writeContextSchema } from '../write-schemas.js';
import type { PgAuditLog } from './audit.js';

interface SettingsRow {
  identification_mode: IdentificationMode;
  settings_version: number;
}

/** The school's settings; `lock` takes its row for a write. */
export async function getSettings(
  q: PgQueryable,
  uai: string,
  lock: 'FOR NO KEY UPDATE' | '' = '',
): Promise<SchoolSettings | null> {
  const { rows } = await q.query<SettingsRow>(
    `SELECT identification_mode, settings_version FROM pronote_schools WHERE uai = $1 ${lock}`,
    [uai],
  );
  const row = rows[0];
  return row ? { uai, identificationMode: row.identification_mode, version: row.settings_version } : null;
}

/** Writes the mode and bumps the settings' version once. */
export async function writeSettings(
  q: PgQueryable,
  uai: string,
  mode: IdentificationMode,
): Promise<SchoolSettings> {
  await q.query(
    'UPDATE pronote_schools SET identification_mode = $1, settings_version = settings_version + 1 WHERE uai = $2',
    [mode, uai],
  );
  return (await getSettings(q, uai)) as SchoolSettings;
}

type Methods = Pick<PronotePort, 'getSchoolSettings' | 'setIdentificationMode'>;

/** The twin of `sqlite/settings.ts`. */
export function pgSettings(pool: PgPool, audit: PgAuditLog): Methods {
  return {
    getSchoolSettings: (uai) => getSettings(pool, uai),
    setIdentificationMode: async (uai, rawMode, rawVersion, rawCtx) => {
      const mode = identificationModeSchema.parse(rawMode);
      const expectedVersion = versionSchema.parse(rawVersion);
      const ctx = writeContextSchema.parse(rawCtx);
      return withTransaction(pool, async (client) => {
        const current = await getSettings(client, uai, 'FOR NO KEY UPDATE');
        if (!current) throw new SchoolNotFoundError(uai);
        if (current.version !== expectedVersion) throw new ConflictError([]);
        const batchId = newBatchId();
        const change = diff(
          { [IDENTIFICATION_MODE_FIELD]: current.identificationMode },
          { [IDENTIFICATION_MODE_FIELD]: mode },
        );
        if (!change.changed) return { batchId, records: [current], entries: [] };
        const next = await writeSettings(client, uai, mode);
        const batch = { batchId, ctx, uai, action: 'set-identification-mode' as const, undoOf: null };
        const entries = await audit.append(client, [auditEntry(batch, null, change, next.version)]);
        return { batchId, records: [next], entries };
      });
    },
  };
}
