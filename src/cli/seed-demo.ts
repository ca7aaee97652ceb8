import type { Database } from 'better-sqlite3';
import { sqliteEntDirectory } from '../ent/sqlite.js';
import { DEMO_ENT, DEMO_SCHOOLS } from '../pronote/demo-data.js';
import { sqlitePronote } from '../pronote/sqlite.js';

/**
 * Loads the demo schools and their ENT directory when the base holds no school at all, so `npm start`
 * shows every flow on data at once. A base that holds any school (imported or demo) is left alone.
 * Returns whether it seeded.
 */
export function seedDemoIfEmpty(db: Database): boolean {
  const pronote = sqlitePronote(db);
  const ent = sqliteEntDirectory(db);
  // One transaction: two processes starting together cannot both seed, nor leave half a demo.
  return db
    .transaction(() => {
      if (pronote.listSchools().length > 0) return false;
      for (const school of DEMO_SCHOOLS) {
        pronote.loadSchool(school, { replace: false });
        ent.replaceSchool(
          school.school.uai,
          DEMO_ENT.filter((a) => a.uai === school.school.uai),
        );
      }
      return true;
    })
    .immediate();
}
