import type { EntAccount } from '../../src/ent/port.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import type { NewAccount } from '../../src/pronote/model.js';
import { sqlitePronote } from '../../src/pronote/sqlite/index.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';

/** One school's PRONOTE copy and ENT directory in a database of its own, in memory. */
export async function memorySchool(uai: string, accounts: NewAccount[], ent: Omit<EntAccount, 'uai'>[] = []) {
  const db = openMemoryDatabase();
  const pronote = sqlitePronote(db);
  const directory = sqliteEntDirectory(db);
  await pronote.loadSchool({ school: { uai, name: 'Collège' }, accounts, links: [] }, { replace: false });
  await directory.replaceSchool(
    uai,
    ent.map((e) => ({ ...e, uai })),
  );
  return { pronote, ent: directory };
}
