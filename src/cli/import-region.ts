import { formatRegionSummary, importAafRegion } from '../formats/aaf-region.js';
import { readConfigOrExit } from '../server/config.js';
import { openStores } from '../server/stores.js';

/**
 * `npm run import -- --region FICHIER…`: a region's AAF delivery (every file of it, any order) loaded
 * into the identities each school's import completes its ENT accounts from. Files are streamed from the
 * disk; all of them load in one transaction or none does.
 */
export async function importRegion(paths: readonly string[]): Promise<string> {
  const stores = await openStores(readConfigOrExit());
  try {
    return formatRegionSummary(await importAafRegion(stores.aaf, paths));
  } finally {
    await stores.close();
  }
}
