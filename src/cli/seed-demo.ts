import type { EntLoader } from '../ent/port.js';
import { DEMO_ENT, DEMO_SCHOOLS } from '../pronote/demo-data.js';
import { SchoolExistsError } from '../pronote/errors.js';
import type { PronoteLoader, PronotePort } from '../pronote/port.js';

/**
 * Loads the demo schools and their ENT directory when the base holds no school at all, so `npm start`
 * shows every flow on data at once. A base that holds any school (imported or demo) is left alone; the
 * callers skip it under `DEMO_DATA=0` (a production database that starts empty before its first import).
 * Returns whether it seeded.
 */
export async function seedDemoIfEmpty({
  pronote,
  ent,
}: {
  pronote: PronotePort & PronoteLoader;
  ent: EntLoader;
}): Promise<boolean> {
  if ((await pronote.listSchools()).length > 0) return false;
  for (const school of DEMO_SCHOOLS) {
    try {
      await pronote.loadSchool(school, { replace: false });
    } catch (err) {
      // Another instance starting at the same moment loaded it first: that one seeds the rest.
      if (err instanceof SchoolExistsError) return false;
      throw err;
    }
    await ent.replaceSchool(
      school.school.uai,
      DEMO_ENT.filter((a) => a.uai === school.school.uai),
    );
  }
  return true;
}
