import { parseArgs } from 'node:util';
import { agentName, schoolList } from '../server/agent-input.js';
import { createAuth } from '../server/auth.js';
import { readConfigOrExit } from '../server/config.js';
import { purgeSummary } from '../server/daily-purge.js';
import { absoluteUrl } from '../server/public-url.js';
import { DatabaseUrlError, openStores } from '../server/stores.js';
import { backupCli } from './backup-cli.js';
import { reconcileCli } from './reconcile-cli.js';

const USAGE = `Utilisation :
  npm run cli -- agent add NOM [--admin] [--cas] [--schools UAI,UAI|*]
                                 crée un agent et affiche son lien de connexion ;
                                 --cas : il peut aussi se connecter par l'ENT, NOM étant son login ENT
  npm run cli -- agent link NOM                                  nouveau lien de connexion à usage unique
  npm run cli -- token create NOM                                jeton pour l'API JSON (Authorization: Bearer …)
  npm run cli -- reconcile [UAI] [--format csv|json]             réconciliation ENT–PRONOTE (sans UAI : tous)
  npm run cli -- backup FICHIER                                  copie cohérente de la base SQLite, serveurs en marche
  npm run cli -- restore FICHIER                                 remet une sauvegarde en place, serveurs arrêtés
  npm run cli -- purge [--dry-run]                               efface les données passées leur durée de conservation
Les données sont dans la base PostgreSQL de DATABASE_URL si elle est définie, sinon dans DATA_DIR (par défaut ./data).`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    admin: { type: 'boolean', default: false },
    cas: { type: 'boolean', default: false },
    schools: { type: 'string' },
    format: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});

const config = readConfigOrExit();
const [group, action, rawName] = positionals;

// Before the stores are opened: a restore needs the database closed by everyone, this command included.
if (group === 'backup' || group === 'restore') {
  const result = await backupCli(group, action, config);
  if ('error' in result) fail(result.error);
  console.log(result.output);
  process.exit(0);
}

const stores = await openStores(config).catch((err: unknown) => {
  if (err instanceof DatabaseUrlError) fail(err.message);
  throw err;
});
const { agents } = stores;
const auth = await createAuth({ agents, secureCookies: false });
const base = config.publicUrl;

const nameOf = (raw: string | undefined) => {
  const parsed = agentName.safeParse(raw ?? '');
  if (!parsed.success) fail(parsed.error.issues[0]?.message ?? USAGE);
  return parsed.data;
};
const existing = async (raw: string | undefined) => {
  const name = nameOf(raw);
  if (!(await agents.get(name))) fail(`Aucun agent « ${name} ».`);
  return name;
};

if (group === 'agent' && action === 'add') {
  const name = nameOf(rawName);
  if (await agents.get(name)) fail(`L'agent « ${name} » existe déjà.`);
  const schools = schoolList.safeParse(values.schools ?? '');
  if (!schools.success) fail(schools.error.issues[0]?.message ?? USAGE);
  await agents.add({ name, admin: values.admin ?? false, schools: schools.data, cas: values.cas ?? false });
  console.log(`Agent « ${name} » créé. Lien de connexion (une seule fois, 24 h) :`);
  console.log(absoluteUrl(base, await auth.issueSignInLink(name)));
} else if (group === 'agent' && action === 'link') {
  console.log(absoluteUrl(base, await auth.issueSignInLink(await existing(rawName))));
} else if (group === 'token' && action === 'create') {
  console.log(await auth.issueApiToken(await existing(rawName)));
} else if (group === 'purge') {
  const dryRun = values['dry-run'] ?? false;
  console.log(
    purgeSummary(await stores.retention.purge(config.retention, { now: new Date(), dryRun }), dryRun),
  );
} else if (group === 'reconcile') {
  const result = await reconcileCli(stores, action, values.format, config.demoData);
  if ('error' in result) fail(result.error);
  process.stdout.write(result.output);
} else {
  fail(USAGE);
}
await stores.close();
