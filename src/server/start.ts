import { rootMachine } from '../../flows/root.machine.js';
import { seedDemoIfEmpty } from '../cli/seed-demo.js';
import { dataActors } from '../engine/checks/data-actors.js';
import { loadContent } from '../engine/content.js';
import { createEngine } from '../engine/session-engine.js';
import { sqliteEntDirectory } from '../ent/sqlite.js';
import { sqlitePronote } from '../pronote/sqlite.js';
import { sqliteAgentStore } from '../store/agents-sqlite.js';
import { openDatabase } from '../store/database.js';
import { sqliteHelpRequests } from '../store/help-requests.js';
import { sqliteSessionStore } from '../store/sessions-sqlite.js';
import { createApp } from './app.js';
import { createAuth } from './auth.js';
import { casConfigFromEnv } from './cas.js';
import { createLogger } from './logger.js';
import { newSecret } from './secrets.js';
import { ticketSystemsFromEnv } from './ticket-systems/index.js';

export interface StartOptions {
  dataDir: string;
  /** The address people reach the site at (behind a proxy: its https address); used in printed links. */
  publicUrl?: string;
  /** Where the optional integrations (CAS, GLPI, Zammad) are configured; `process.env` by default. */
  env?: Record<string, string | undefined>;
}

/** The one place that picks adapters and wires them into the machine's checks and fixes. */
export async function startServices({ dataDir, publicUrl, env = process.env }: StartOptions) {
  const logger = createLogger();
  // Integrations first: a wrong setting stops the start before anything is opened.
  const cas = casConfigFromEnv(env, publicUrl ?? 'http://127.0.0.1:3000/');
  const ticketSystems = ticketSystemsFromEnv(env);
  const db = openDatabase(dataDir);
  const content = loadContent();
  const agents = sqliteAgentStore(db);
  const secureCookies = publicUrl?.startsWith('https://') ?? false;
  const auth = createAuth({ agents, secureCookies });
  const pronote = sqlitePronote(db);
  const ent = sqliteEntDirectory(db);
  if (seedDemoIfEmpty(db)) logger.info('demo schools loaded');
  const machine = rootMachine.provide({ actors: dataActors({ pronote, ent }) });
  const engine = createEngine({ machine, store: sqliteSessionStore(db) });
  const requests = sqliteHelpRequests(db);
  const csrfSecret = agents.setting('csrf-secret', newSecret);
  const app = createApp({
    engine,
    content,
    logger,
    auth,
    agents,
    pronote,
    ent,
    requests,
    db,
    csrfSecret,
    secureCookies,
    ...(cas ? { cas } : {}),
    ...(ticketSystems ? { ticketSystems } : {}),
  });

  const banner: string[] = [];
  if (agents.count() === 0) {
    agents.add({ name: 'admin', admin: true, schools: 'all' });
    banner.push(
      'Aucun agent pour l’instant : lien de connexion à usage unique pour le premier administrateur (valable 24 h) :',
      `  ${new URL(auth.issueSignInLink('admin'), publicUrl ?? 'http://127.0.0.1:3000/').toString()}`,
    );
  }
  return { app, logger, db, engine, banner };
}
