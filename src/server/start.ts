import { rootMachine } from '../../flows/root.machine.js';
import { seedDemoIfEmpty } from '../cli/seed-demo.js';
import { dataActors } from '../engine/checks/data-actors.js';
import { loadContent } from '../engine/content.js';
import { createEngine } from '../engine/session-engine.js';
import type { AgentStore } from '../store/agent-port.js';
import { dataDirProblems } from '../store/sqlite/database.js';
import { createApp } from './app.js';
import { createAuth } from './auth.js';
import type { Config } from './config.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { absoluteUrl } from './public-url.js';
import { newSecret } from './secrets.js';
import { openStores } from './stores.js';

/**
 * The one place that picks adapters and wires them into the machine's checks and fixes. The configuration
 * was checked before (readConfig), so a wrong setting stopped the start before anything was opened.
 */
export async function startServices(config: Config) {
  const { publicUrl, cas, ticketSystems } = config;
  const logger = createLogger(config.logLevel);
  const stores = await openStores(config);
  if (!config.databaseUrl)
    for (const problem of dataDirProblems(config.dataDir)) logger.warn({ problem }, 'data folder too open');
  const { agents, pronote, ent, requests } = stores;
  const content = loadContent();
  const secureCookies = publicUrl.startsWith('https://');
  const auth = await createAuth({ agents, secureCookies });
  if (config.demoData && (await seedDemoIfEmpty(stores))) logger.info('demo schools loaded');
  const machine = rootMachine.provide({ actors: dataActors({ pronote, ent }) });
  const metrics = createMetrics(stores.gauges, { processMetrics: true });
  const engine = createEngine({
    machine,
    store: stores.sessions,
    onAnswered: metrics.stepAnswered,
    corrections: pronote,
    maxEntries: config.sessionMaxAnswers,
  });
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
    privacy: config.privacy,
    ...(config.verify ? { verify: config.verify } : {}),
    publicUrl,
    trustedProxies: config.trustProxy,
    pageViewsPerMinute: config.pageViewsPerMinute,
    readiness: stores.readiness,
    metrics,
    metricsAccess: config.metrics,
    branding: config.branding,
    csrfSecret,
    secureCookies,
    ...(cas ? { cas } : {}),
    ...(ticketSystems ? { ticketSystems } : {}),
  });

  const banner: string[] = [];
  if ((await agents.count()) === 0 && (await firstAdmin(agents))) {
    banner.push(
      'Aucun agent pour l’instant : lien de connexion à usage unique pour le premier administrateur (valable 24 h) :',
      `  ${absoluteUrl(publicUrl, await auth.issueSignInLink('admin'))}`,
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
