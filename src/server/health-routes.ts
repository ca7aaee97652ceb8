import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { ContentCatalog } from '../engine/content.js';
import type { Readiness } from '../store/readiness.js';

interface HealthDeps {
  content: ContentCatalog;
  logger: Logger;
  /** The database's state; without stores (some tests) only the content is checked. */
  readiness?: () => Promise<Readiness>;
}

/**
 * For the load balancer and the orchestrator: `/healthz` says the process answers, `/readyz` that it can
 * serve (database reachable and migrated, content loaded). Mounted before every other middleware, so they
 * cost no session lookup and no rate-limit count, and they show nothing about anyone.
 */
export function healthRoutes({ content, logger, readiness }: HealthDeps) {
  const app = new Hono();
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.text('ok');
  });
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    const state: Readiness =
      content.stepIds().length === 0
        ? { ready: false, reason: 'contenu des étapes non chargé' }
        : ((await readiness?.()) ?? { ready: true });
    if (state.ready) return c.json({ ready: true });
    logger.warn({ err: state.error, reason: state.reason }, 'not ready');
    return c.json({ ready: false, reason: state.reason }, 503);
  });
  return app;
}
