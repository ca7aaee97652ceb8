import { createHmac } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { ZodError } from 'zod';
import { ErrorPage, ErrorPanel } from '../../views/error-page.js';
import { EngineError } from '../engine/errors.js';
import { memoryRateCounter } from '../store/rate-counter.js';
import { apiRoutes } from './api-routes.js';
import type { AppDeps, AppEnv } from './app-types.js';
import { assetRoutes } from './assets.js';
import { auditRoutes } from './audit-routes.js';
import { authRoutes } from './auth-routes.js';
import { brandOf, brandRoutes, DEFAULT_BRANDING } from './branding.js';
import { casRoutes } from './cas-routes.js';
import { clientAddress, clientKeyOf, trustedProxies } from './client-address.js';
import { isClientGone } from './client-gone.js';
import { correctionRoutes } from './correction-routes.js';
import { csrfProtection } from './csrf.js';
import { flowMapRoutes } from './flow-map-routes.js';
import { followLinks } from './follow-links.js';
import { healthRoutes } from './health-routes.js';
import { IMPORT_MAX_BYTES, importRoutes } from './import-routes.js';
import { metricsRoutes } from './metrics.js';
import { pageRoutes } from './page-routes.js';
import { privacyRoutes } from './privacy-routes.js';
import { clientKey, rateLimit } from './rate-limit.js';
import { reconcileRoutes } from './reconcile-routes.js';
import { html } from './render.js';
import { requestLog, routePattern } from './request-log.js';
import { requestRoutes } from './request-routes.js';
import { schoolSettingsRoutes } from './school-settings-routes.js';
import { statsRoutes } from './stats-routes.js';
import { ticketLinks } from './ticket-links.js';
import { privacyConfigFromEnv } from './verify-config.js';
import { verifyRoutes } from './verify-routes.js';
import { PUBLIC_VIEWER } from './viewer.js';

const MAX_BODY_BYTES = 64 * 1024;
/** A person answering a flow sends a few answers a minute; a script sends hundreds. */
const PUBLIC_POSTS_PER_MINUTE = 120;
/** Ten a second for a minute: far beyond a person reading, far below a loop. */
const PAGE_VIEWS_PER_MINUTE = 600;

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const branding = deps.branding ?? DEFAULT_BRANDING;
  const brand = brandOf(branding);
  const logoOrigin = branding.logo && 'url' in branding.logo ? [branding.logo.url.origin] : [];
  const rates = deps.rates ?? memoryRateCounter();
  const isApi = (path: string) => path.startsWith('/api/');

  app.use(requestLog(deps.logger, deps.metrics?.requestAnswered));
  const proxies = trustedProxies(deps.trustedProxies ?? []);
  app.use((c, next) => {
    c.set('client', clientKeyOf(clientAddress(c, proxies)));
    c.set('brand', brand);
    return next();
  });
  // Before the other middleware, so that none of them runs for a probe or a scrape.
  app.route('/', healthRoutes(deps));
  if (deps.metrics) app.route('/', metricsRoutes(deps.metrics, deps.metricsAccess ?? {}));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // A logo given as an https address (SERVICE_LOGO) is the one image from elsewhere.
        imgSrc: ["'self'", 'data:', ...logoOrigin],
        // The school picker of « Vérifier mon compte » is a form whose answer redirects to the ENT's CAS:
        // browsers hold redirects after a form to form-action too.
        formAction: ["'self'", ...(deps.verify?.origins ?? [])],
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
  // A school's files are uploaded on one page only; every other body stays small.
  const importTooLarge = () => {
    throw new HTTPException(413, {
      message: `L’envoi dépasse la taille permise (${IMPORT_MAX_BYTES / 2 ** 20} Mo) : envoyez les fichiers en plusieurs fois.`,
    });
  };
  const limitImport = bodyLimit({ maxSize: IMPORT_MAX_BYTES, onError: importTooLarge });
  // A body announced by its length is bounded by that header (Node's parser reads no more than it says);
  // only a chunked one is counted as it streams. Asking for the body itself here would make the server
  // build a whole Request object for every answer, and for every page.
  app.use((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const upload = /^\/import\/\d{7}[A-Z]$/.test(c.req.path);
    const length = c.req.header('Content-Length') ?? '';
    if (!/^\d+$/.test(length) || c.req.header('Transfer-Encoding') !== undefined)
      return (upload ? limitImport : limitBody)(c, next);
    if (Number(length) > (upload ? IMPORT_MAX_BYTES : MAX_BODY_BYTES)) (upload ? importTooLarge : tooLarge)();
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
  const perMinute = (name: string, limit: number) =>
    rateLimit({ name, limit, windowMs: 60_000, keyOf: clientKey, counter: rates });
  const publicPosts = perMinute('public-posts', deps.publicPostsPerMinute ?? PUBLIC_POSTS_PER_MINUTE);
  app.use(async (c, next) => {
    if (c.req.method !== 'POST' || c.get('viewer').kind === 'agent') return next();
    return publicPosts(c, next);
  });
  // Page views too, generously: a person reads a page in seconds, a loop reads hundreds a second, and each
  // view of a long session costs the server. Stylesheets and scripts are not counted; agents are not slowed.
  const pageViews = perMinute('page-views', deps.pageViewsPerMinute ?? PAGE_VIEWS_PER_MINUTE);
  app.use(async (c, next) => {
    if (c.req.method !== 'GET' || c.req.path.startsWith('/assets/') || c.get('viewer').kind === 'agent')
      return next();
    return pageViews(c, next);
  });

  app.route('/assets', brandRoutes(branding));
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
        ...(deps.pronote
          ? {
              knownSchools: async () =>
                ((await deps.pronote?.listSchools()) ?? []).map((school) => school.uai),
            }
          : {}),
      }),
    );
    if (deps.cas)
      app.route('/', casRoutes({ ...deps, cas: deps.cas, auth: deps.auth, agents: deps.agents, rates }));
  }
  if (deps.pronote) app.route('/', auditRoutes({ pronote: deps.pronote, content: deps.content }));
  if (deps.pronote) app.route('/', correctionRoutes({ pronote: deps.pronote }));
  if (deps.pronote) app.route('/', schoolSettingsRoutes({ pronote: deps.pronote }));
  if (deps.pronote && deps.ent)
    app.route('/', reconcileRoutes({ ...deps, pronote: deps.pronote, ent: deps.ent }));
  if (deps.pronote && deps.ent) app.route('/', importRoutes({ pronote: deps.pronote, ent: deps.ent }));
  const privacy = deps.privacy ?? privacyConfigFromEnv({});
  const follow = followLinks(createHmac('sha256', deps.csrfSecret).update('follow').digest('hex'));
  app.route('/', privacyRoutes(privacy));
  if (deps.pronote && deps.requests) {
    app.route(
      '/',
      requestRoutes({
        engine: deps.engine,
        content: deps.content,
        publicUrl: deps.publicUrl,
        pronote: deps.pronote,
        requests: deps.requests,
        rates,
        follow,
        privacy,
      }),
    );
  }
  if (deps.verify && deps.checks && deps.pronote && deps.ent && deps.requests) {
    app.route(
      '/',
      verifyRoutes({
        verify: deps.verify,
        publicUrl: deps.publicUrl,
        privacy,
        pronote: deps.pronote,
        ent: deps.ent,
        requests: deps.requests,
        checks: deps.checks,
        follow,
        rates,
        logger: deps.logger,
        secret: createHmac('sha256', deps.csrfSecret).update('verification').digest('hex'),
        secureCookies: deps.secureCookies ?? false,
      }),
    );
  }
  app.route('/', flowMapRoutes(deps));
  if (deps.stats) app.route('/', statsRoutes({ ...deps, stats: deps.stats }));
  app.route(
    '/',
    pageRoutes({
      ...deps,
      follow,
      privacy,
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
      'Une erreur inattendue s’est produite. Rien n’a été perdu : réessayez, ou revenez à l’étape précédente.',
    fieldErrors: {},
  };
}
