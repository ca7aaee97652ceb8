import { resolve } from 'node:path';
import type { Config } from '../server/config.js';
import { openStores } from '../server/stores.js';
import { BackupError, type BackupSummary, backupSqlite, restoreSqlite } from '../store/sqlite/backup.js';

const POSTGRES =
  'Avec DATABASE_URL, la base est PostgreSQL : sauvegardez-la avec pg_dump et restaurez-la avec pg_restore (README, « Backups »).';

const described = (s: BackupSummary) =>
  `${s.file} (${(s.bytes / 2 ** 20).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo ; ${s.sessions.toLocaleString('fr-FR')} sessions, ${s.schools.toLocaleString('fr-FR')} établissements)`;

/** `backup FILE` (servers running) and `restore FILE` (servers stopped): what to print, or why not. */
export async function backupCli(
  command: 'backup' | 'restore',
  file: string | undefined,
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
): Promise<{ output: string } | { error: string }> {
  if (config.databaseUrl) return { error: POSTGRES };
  if (!file) return { error: `Indiquez le fichier : npm run cli -- ${command} FICHIER` };
  const path = resolve(file);
  try {
    if (command === 'backup')
      return { output: `Sauvegarde écrite : ${described(await backupSqlite(config.dataDir, path))}.` };
    const restored = await restoreSqlite(config.dataDir, path, async (dataDir) => {
      await (await openStores({ dataDir, databaseUrl: undefined })).close();
    });
    return {
      output: [
        `Base restaurée depuis ${described(restored)}.`,
        restored.previous ? `La base remplacée est gardée sous ${restored.previous}.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    };
  } catch (err) {
    if (err instanceof BackupError) return { error: err.message };
    throw err;
  }
}
