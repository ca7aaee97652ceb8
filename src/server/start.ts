import { rootMachine } from '../../flows/root.machine.js';
import { seedDemoIfEmpty } from '../cli/seed-demo.js';
import { dataActors } from '../engine/checks/data-actors.js';
import { loadContent } from '../engine/content.js';
import { createEngine } from '../engine/session-engine.js';
import type { AgentStore } from '../store/agent-port.js';
import { createApp } from './app.js';
import { createAuth } from './auth.js';
import { casConfigFromEnv } from './cas.js';
import { createLogger } from './logger.js';
import { newSecret } from './secrets.js';
import { openStores } from './stores.js';
import { ticketSystemsFromEnv } from './ticket-systems/index.js';
import { privacyConfigFromEnv, verifyConfigFromEnv } from './verify-config.js';

export interface StartOptions {
  dataDir: string;
  /** The address people reach the site at (behind a proxy: its https address); used in printed links. */
  publicUrl?: string;
  /** Where the optional integrations (CAS, GLPI, Zammad) and DATABASE_URL are read; `process.env` by default. */
  env?: Record<string, string | undefined>;
}

/** The one place that picks adapters and wires them into the machine's checks and fixes. */
export async function startServices({ dataDir, publicUrl, env = process.env }: StartOptions) {
  const logger = createLogger();
  // Integrations first: a wrong setting stops the start before anything is opened.
  const cas = casConfigFromEnv(env, publicUrl ?? 'http://127.0.0.1:3000/');
  const ticketSystems = ticketSystemsFromEnv(env);
  const verify = verifyConfigFromEnv(env, publicUrl ?? 'http://127.0.0.1:3000/', cas);
  const stores = await openStores({ dataDir, databaseUrl: env.DATABASE_URL });
  const { agents, pronote, ent, requests } = stores;
  const content = loadContent();
  const secureCookies = publicUrl?.startsWith('https://') ?? false;
  const auth = await createAuth({ agents, secureCookies });
  if (await seedDemoIfEmpty(stores, env)) logger.info('demo schools loaded');
  const machine = rootMachine.provide({ actors: dataActors({ pronote, ent }) });
  const engine = createEngine({ machine, store: stores.sessions });
  const csrfSecret = await agents.setting('csrf-secret', newSecret);
  const app = createApp({
    engine,
    content,
    logger,
    auth,
    agents,
    pronote,
    ent,
    requests,
    stats: stores.stats,
    rates: stores.rates,
    checks: stores.checks,
    privacy: privacyConfigFromEnv(env),
    ...(verify ? { verify } : {}),
    csrfSecret,
    secureCookies,
    ...(cas ? { cas } : {}),
    ...(ticketSystems ? { ticketSystems } : {}),
  });

  const banner: string[] = [];
  if ((await agents.count()) === 0 && (await firstAdmin(agents))) {
    banner.push(
      'Aucun agent pour l’instant : lien de connexion à usage unique pour le premier administrateur (valable 24 h) :',
      `  ${new URL(await auth.issueSignInLink('admin'), publicUrl ?? 'http://127.0.0.1:3000/').toString()}`,
    );
  }
  return { app, logger, stores, engine, banner };
}

/** Creates the first admin; false when another instance starting at the same moment did it first. */
async function firstAdmin(agents: AgentStore): Promise<boolean> {
  try {
    await agents.add({ name: 'admin', admin: true, schools: 'all' });
    return true;
  } catch (err) {
    if (await agents.get('admin')) return false;
    throw err;
  }
}
