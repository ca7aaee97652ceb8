import { createHmac } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { ErrorPage, ErrorPanel } from '../../views/error-page.js';
import type { ContentCatalog } from '../engine/content.js';
import { EngineError } from '../engine/errors.js';
import type { Engine } from '../engine/session-engine.js';
import type { EntDirectory } from '../ent/port.js';
import type { PronotePort } from '../pronote/port.js';
import type { AgentStore } from '../store/agent-port.js';
import type { HelpRequests } from '../store/help-requests.js';
import { memoryRateCounter, type RateCounter } from '../store/rate-counter.js';
import type { Readiness } from '../store/readiness.js';
import type { SessionStats, StatsQuery } from '../store/session-stats.js';
import { apiRoutes } from './api-routes.js';
import { assetRoutes } from './assets.js';
import { auditRoutes } from './audit-routes.js';
import type { Auth } from './auth.js';
import { authRoutes } from './auth-routes.js';
import type { CasConfig } from './cas.js';
import { casRoutes } from './cas-routes.js';
import { clientAddress, clientKeyOf, trustedProxies } from './client-address.js';
import { isClientGone } from './client-gone.js';
import { csrfProtection } from './csrf.js';
import { flowMapRoutes } from './flow-map-routes.js';
import { healthRoutes } from './health-routes.js';
import { pageRoutes } from './page-routes.js';
import { clientKey, rateLimit } from './rate-limit.js';
import { reconcileRoutes } from './reconcile-routes.js';
import { html } from './render.js';
import { requestLog, routePattern } from './request-log.js';
import { requestRoutes } from './request-routes.js';
import { statsRoutes } from './stats-routes.js';
import { ticketLinks } from './ticket-links.js';
import type { TicketSystems } from './ticket-systems/index.js';
import { PUBLIC_VIEWER, type Viewer } from './viewer.js';

export interface AppDeps {
  engine: Engine;
  content: ContentCatalog;
  logger: Logger;
  /** Agents' sign-in; without it everyone is an end user (or `viewerOf` decides, in tests). */
  auth?: Auth;
  agents?: AgentStore;
  /** The school data; without it the checks fall back to questions and there is no audit. */
  pronote?: PronotePort;
  /** The ENT directory, which the whole-school reconciliation sets against PRONOTE; none without it. */
  ent?: EntDirectory;
  requests?: HelpRequests;
  viewerOf?: (c: Context) => Viewer | Promise<Viewer>;
  /** The address people reach the site at (PUBLIC_URL): every absolute link is built from it. */
  publicUrl: string;
  /** The reverse proxies whose X-Forwarded-For is believed (TRUST_PROXY: addresses, networks); none by default. */
  trustedProxies?: readonly string[];
  /** Key for CSRF tokens; kept in the database so that tokens survive a restart. */
  csrfSecret: string;
  secureCookies?: boolean;
  /** The statistics' aggregated queries; without them there is no /stats. */
  stats?: (query: StatsQuery) => Promise<SessionStats>;
  /** Answers an end user may send per minute and per address (default 120). */
  publicPostsPerMinute?: number;
  /** Where the rate limits count: this process by default, the shared database with several instances. */
  rates?: RateCounter;
  /** Agents' sign-in through the ENT's CAS server; off without it. */
  cas?: CasConfig;
  /** Where agents may post a ticket summary (GLPI, Zammad); no posting form without it. */
  ticketSystems?: TicketSystems;
  /** The database's state for `/readyz`. */
  readiness?: () => Promise<Readiness>;
}

export type AppEnv = {
  Variables: { viewer: Viewer; csrfToken: string; requestId: string; client: string };
};

const MAX_BODY_BYTES = 64 * 1024;
/** A person answering a flow sends a few answers a minute; a script sends hundreds. */
const PUBLIC_POSTS_PER_MINUTE = 120;

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const rates = deps.rates ?? memoryRateCounter();
  const isApi = (path: string) => path.startsWith('/api/');

  app.use(requestLog(deps.logger));
  const proxies = trustedProxies(deps.trustedProxies ?? []);
  app.use((c, next) => {
    c.set('client', clientKeyOf(clientAddress(c, proxies)));
    return next();
  });
  // Before the other middleware, so that none of them runs for a probe.
  app.route('/', healthRoutes(deps));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
    }),
  );
  const tooLarge = () => {
    throw new HTTPException(413, {
      message: 'L’envoi dépasse la taille permise (64 Ko). Raccourcissez le texte.',
    });
  };
  const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  // A body announced by its length is bounded by that header (Node's parser reads no more than it says);
  // only a chunked one is counted as it streams. Asking for the body itself here would make the server
  // build a whole Request object for every answer, and for every page.
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('Content-Length') ?? '';
    if (!/^\d+$/.test(length) || c.req.header('Transfer-Encoding') !== undefined) return limitBody(c, next);
    if (Number(length) > MAX_BODY_BYTES) tooLarge();
    return next();
  });
  const usesBearer = (c: Context) => deps.auth?.usesBearer(c) ?? false;
  app.use(
    csrfProtection({ secret: deps.csrfSecret, secureCookies: deps.secureCookies ?? false, usesBearer }),
  );
  app.use(async (c, next) => {
    const viewerOf = deps.viewerOf ?? deps.auth?.viewerOf;
    c.set('viewer', viewerOf ? await viewerOf(c) : PUBLIC_VIEWER);
    await next();
  });
  // End users need no account, so their answers are bounded per address instead; agents are not slowed.
  const publicPosts = rateLimit({
    name: 'public-posts',
    limit: deps.publicPostsPerMinute ?? PUBLIC_POSTS_PER_MINUTE,
    windowMs: 60_000,
    keyOf: clientKey,
    counter: rates,
  });
  app.use(async (c, next) => {
    if (c.req.method !== 'POST' || c.get('viewer').kind === 'agent') return next();
    return publicPosts(c, next);
  });

  app.route('/assets', assetRoutes());
  app.route('/api', apiRoutes(deps));
  if (deps.auth && deps.agents) {
    app.route(
      '/',
      authRoutes({
        auth: deps.auth,
        agents: deps.agents,
        cas: deps.cas !== undefined,
        rates,
        publicUrl: deps.publicUrl,
      }),
    );
    if (deps.cas)
      app.route('/', casRoutes({ ...deps, cas: deps.cas, auth: deps.auth, agents: deps.agents, rates }));
  }
  if (deps.pronote) app.route('/', auditRoutes({ pronote: deps.pronote }));
  if (deps.pronote && deps.ent)
    app.route('/', reconcileRoutes({ ...deps, pronote: deps.pronote, ent: deps.ent }));
  if (deps.pronote && deps.requests) {
    app.route(
      '/',
      requestRoutes({ engine: deps.engine, pronote: deps.pronote, requests: deps.requests, rates }),
    );
  }
  app.route('/', flowMapRoutes(deps));
  if (deps.stats) app.route('/', statsRoutes({ ...deps, stats: deps.stats }));
  app.route(
    '/',
    pageRoutes({
      ...deps,
      tickets: ticketLinks(createHmac('sha256', deps.csrfSecret).update('tickets').digest('hex')),
    }),
  );

  app.notFound((c) => {
    const message = 'Cette adresse ne correspond à aucune page de l’assistant.';
    if (isApi(c.req.path)) return c.json({ error: message }, 404);
    return errorPage(c, 404, message);
  });

  app.onError((err, c) => {
    // A client that hung up mid-request is routine on the Internet: worth a line, not an alert.
    if (c.req.raw.signal.aborted || isClientGone(err)) {
      deps.logger.info({ requestId: c.get('requestId'), route: routePattern(c) }, 'client hung up');
      return c.body(null, 400);
    }
    const { status, message, fieldErrors } = describe(err);
    if (status >= 500)
      deps.logger.error({ err, requestId: c.get('requestId'), route: routePattern(c) }, 'request failed');
    if (isApi(c.req.path)) {
      return c.json(
        { error: message, ...(Object.keys(fieldErrors).length ? { fields: fieldErrors } : {}) },
        status,
      );
    }
    return errorPage(c, status, message, fieldErrors);
  });

  return app;
}

/**
 * The error page; during an htmx swap, its panel alone in place of the page's main content, rather than a
 * whole page nested in the step panel the request aimed at. The address stays that of the page.
 */
function errorPage(
  c: Context,
  status: ErrorStatus,
  message: string,
  fieldErrors: Record<string, string> = {},
) {
  const swap = c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true';
  if (!swap)
    return html(c, <ErrorPage status={status} message={message} fieldErrors={fieldErrors} />, status);
  c.header('HX-Retarget', '#contenu');
  c.header('HX-Reswap', 'innerHTML');
  return html(c, <ErrorPanel status={status} message={message} fieldErrors={fieldErrors} />, status);
}

type ErrorStatus = 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 502 | 503;

/** One place turns every failure into a French message and a status; a stack trace never leaves the server. */
function describe(err: Error): { status: ErrorStatus; message: string; fieldErrors: Record<string, string> } {
  if (err instanceof EngineError)
    return { status: err.status, message: err.message, fieldErrors: err.fieldErrors };
  if (err instanceof HTTPException) {
    const status = err.status as ErrorStatus;
    return { status, message: err.message || 'Demande refusée.', fieldErrors: {} };
  }
  if (err instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of err.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { status: 422, message: 'Certaines informations sont à corriger.', fieldErrors };
  }
  return {
    status: 500,
    message:
      'Une erreur inattendue s’est produite. Rien n’a été perdu : réessayez, ou revenez à l’étape précédente.',
    fieldErrors: {},
  };
}
