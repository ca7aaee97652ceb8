/**
 * What the app is built from (its dependencies) and what each request carries (Hono's variables): the
 * types every route module shares, kept apart from `app.tsx` so that the routes and the app that mounts
 * them do not import each other.
 */
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { Brand } from '../../views/brand.js';
import type { ContentCatalog } from '../engine/content.js';
import type { Engine } from '../engine/session-engine.js';
import type { EntDirectory, EntLoader } from '../ent/port.js';
import type { PronoteLoader, PronotePort } from '../pronote/port.js';
import type { AgentStore } from '../store/agent-port.js';
import type { HelpRequests } from '../store/help-requests.js';
import type { IdentityChecks } from '../store/identity-checks.js';
import type { RateCounter } from '../store/rate-counter.js';
import type { Readiness } from '../store/readiness.js';
import type { SessionStats, StatsQuery } from '../store/session-stats.js';
import type { Auth } from './auth.js';
import type { Branding } from './branding.js';
import type { CasConfig } from './cas.js';
import type { Metrics, MetricsAccess } from './metrics.js';
import type { TicketSystems } from './ticket-systems/index.js';
import type { PrivacyConfig, VerifyConfig } from './verify-config.js';
import type { Viewer } from './viewer.js';

export interface AppDeps {
  engine: Engine;
  content: ContentCatalog;
  logger: Logger;
  /** Agents' sign-in; without it everyone is an end user (or `viewerOf` decides, in tests). */
  auth?: Auth;
  agents?: AgentStore;
  /** The school data; without it the checks fall back to questions and there is no audit. */
  /** With its loader: the upload page loads a school's files into it. */
  pronote?: PronotePort & PronoteLoader;
  /** The ENT directory, which the whole-school reconciliation sets against PRONOTE; none without it. */
  ent?: EntDirectory & EntLoader;
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
  /** Pages an end user may load per minute and per address (default 600; PAGE_VIEWS_PER_MINUTE). */
  pageViewsPerMinute?: number;
  /** Where the rate limits count: this process by default, the shared database with several instances. */
  rates?: RateCounter;
  /** Agents' sign-in through the ENT's CAS server; off without it. */
  cas?: CasConfig;
  /** Where agents may post a ticket summary (GLPI, Zammad); no posting form without it. */
  ticketSystems?: TicketSystems;
  /** « Vérifier mon compte » through the ENT's CAS; off without it (the anonymous flows stay as they are). */
  verify?: VerifyConfig;
  /** Used CAS tickets and the checks' results; « Vérifier mon compte » needs them. */
  checks?: IdentityChecks;
  /** Who processes the data, for the privacy notices (defaults name the school's head). */
  privacy?: PrivacyConfig;
  /** The database's state for `/readyz`. */
  readiness?: () => Promise<Readiness>;
  /** What `/metrics` shows, and who may read it; no `/metrics` without them. */
  metrics?: Metrics;
  metricsAccess?: MetricsAccess;
  /** The deployer's name, logo and accent colour (SERVICE_NAME, SERVICE_LOGO, ACCENT_COLOR); ours by default. */
  branding?: Branding;
}

/** The variables each request carries once the middleware has run. */
export type AppEnv = {
  /** `client`: who counts as one client for the rate limits (client-address.ts). */
  Variables: { viewer: Viewer; csrfToken: string; requestId: string; client: string; brand: Brand };
};
