import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RegionImportError, storedAafPeople } from '../formats/aaf-region.js';
import { formatSummary, ImportError, type ImportInput, importSchool } from '../formats/school-import.js';
import { PronoteError } from '../pronote/errors.js';
import { PROFILES, type Profile } from '../pronote/model.js';
import { foldText } from '../pronote/normalise.js';
import { readConfigOrExit } from '../server/config.js';
import { DatabaseUrlError, openStores } from '../server/stores.js';
import { importRegion } from './import-region.js';

/**
 * `npm run import -- --uai 0130001A [--name "Collège …"] [--replace [--force]] FICHIER…`: each file's kind
 * told by its content. The older `--pronote F --profile P` and `--ent F` still work. Into `DATA_DIR` or
 * `DATABASE_URL`.
 */

const USAGE = `Utilisation : npm run import -- --uai 0130001A [--name "Collège …"] [--replace [--force]] FICHIER…
Fichiers reconnus à leur contenu : listes exportées de PRONOTE (CSV), export des utilisateurs de la console ENT, comptes ENT (login;nom;prenom;dateNaissance;profils;uai), SIECLE élèves et responsables (XML), STS emploi du temps (XML), AAF (XML).
Une liste PRONOTE de professeurs ou de personnels se donne avec son profil : --pronote profs.csv --profile professeur. Ancienne forme : --ent ent.csv.
--force : laisse --replace retirer plus de la moitié des comptes de l’établissement.
Région : npm run import -- --region ENT_Complet_…_Eleve_0000.xml … charge la livraison AAF de toute une région (tous ses fichiers, une seule fois).
Profils : eleve, responsable, professeur, personnel. Base : DATABASE_URL (PostgreSQL) si définie, sinon DATA_DIR (./data par défaut).`;

/** « élèves », « Professeurs », « eleve »: the words people type for a profile. */
function profileOf(word: string): Profile {
  const folded = foldText(word).toLowerCase().replace(/s$/, '');
  const profile = PROFILES.find((p) => p === folded);
  if (!profile) throw new ImportError(`Profil « ${word} » inconnu. ${USAGE}`);
  return profile;
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new ImportError(`Fichier introuvable ou illisible : ${path}`);
  }
}

function inputFromArgs(args: string[]): ImportInput {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      uai: { type: 'string' },
      name: { type: 'string' },
      pronote: { type: 'string', multiple: true },
      profile: { type: 'string', multiple: true },
      ent: { type: 'string' },
      replace: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const files = values.pronote ?? [];
  const profiles = values.profile ?? [];
  if (!values.uai || files.length + positionals.length === 0) throw new ImportError(USAGE);
  // Each --pronote takes the --profile given with it, in order.
  if (profiles.length !== files.length) {
    throw new ImportError(`Chaque fichier --pronote a besoin de son --profile. ${USAGE}`);
  }
  return {
    uai: values.uai,
    ...(values.name ? { name: values.name } : {}),
    pronote: files.map((path, i) => ({
      path,
      bytes: readBytes(path),
      profile: profileOf(profiles[i] ?? ''),
    })),
    ...(values.ent ? { ent: { path: values.ent, bytes: readBytes(values.ent) } } : {}),
    files: positionals.map((path) => ({ path, bytes: readBytes(path) })),
    replace: values.replace,
    force: values.force,
  };
}

async function main(): Promise<number> {
  try {
    const args = process.argv.slice(2);
    if (args[0] === '--region') {
      if (args.length === 1) throw new ImportError(USAGE);
      console.log(await importRegion(args.slice(1)));
      return 0;
    }
    const input = inputFromArgs(args);
    const stores = await openStores(readConfigOrExit());
    try {
      const storedAaf = storedAafPeople(await stores.aaf.listSchool(input.uai.trim().toUpperCase()));
      console.log(formatSummary(await importSchool(stores, { ...input, storedAaf })));
    } finally {
      await stores.close();
    }
    return 0;
  } catch (err) {
    // A person's mistake gets its French message alone; anything else is a bug and keeps its stack.
    if (
      err instanceof ImportError ||
      err instanceof RegionImportError ||
      err instanceof PronoteError ||
      err instanceof DatabaseUrlError
    ) {
      console.error(err.message);
      return 1;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${err.message}\n${USAGE}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main();
