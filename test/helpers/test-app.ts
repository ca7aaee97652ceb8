import type { Database } from 'better-sqlite3';
import type { Hono } from 'hono';
import pino, { type Logger } from 'pino';
import { afterAll } from 'vitest';
import { rootMachine } from '../../flows/root.machine.js';
import type { flowActors } from '../../flows/setup.js';
import { seedDemoIfEmpty } from '../../src/cli/seed-demo.js';
import { dataActors } from '../../src/engine/checks/data-actors.js';
import { loadContent } from '../../src/engine/content.js';
import { createEngine } from '../../src/engine/session-engine.js';
import { createApp } from '../../src/server/app.js';
import type { AppEnv } from '../../src/server/app-types.js';
import { createAuth } from '../../src/server/auth.js';
import type { Branding } from '../../src/server/branding.js';
import type { CasConfig } from '../../src/server/cas.js';
import { createMetrics, type MetricsAccess } from '../../src/server/metrics.js';
import { pgStores, type Stores, sqliteStores } from '../../src/server/stores.js';
import type { TicketSystems } from '../../src/server/ticket-systems/index.js';
import type { VerifyConfig } from '../../src/server/verify-config.js';
import type { Viewer } from '../../src/server/viewer.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';

export const content = loadContent();

/** The address the test app is reached at: every absolute link it prints starts with it. */
export const TEST_PUBLIC_URL = 'http://assistant.test/';

export interface TestAppOptions {
  actors?: Partial<typeof flowActors>;
  /** Seed the demo schools and run the checks and fixes against them. */
  data?: boolean;
  db?: Database;
  /** Other stores than a new in-memory SQLite database (PostgreSQL); `db` is then ignored. */
  stores?: Stores;
  /** A fixed viewer for every request, instead of signing in. */
  viewer?: Viewer;
  publicPostsPerMinute?: number;
  pageViewsPerMinute?: number;
  /** Answers a session may hold (the engine's default otherwise). */
  maxEntries?: number;
  /** TRUST_PROXY's addresses and networks. */
  trustedProxies?: string[];
  /** Optional integrations, as start-up builds them from the environment. */
  cas?: CasConfig;
  ticketSystems?: TicketSystems;
  verify?: VerifyConfig;
  /** To read what the app logs (silent by default). */
  logger?: Logger;
  /** Who may read `/metrics` (nobody by default). */
  metricsAccess?: MetricsAccess;
  /** The deployer's name, logo and accent colour (ours by default). */
  branding?: Branding;
}

/**
 * The stores of a new test app: a new in-memory SQLite database, or under `TEST_STORE=postgres` (the
 * vitest project « postgres ») a new PostgreSQL database, so the same HTTP suites run on both stores.
 */
async function newStores(db: Database): Promise<Stores> {
  if (process.env.TEST_STORE !== 'postgres') return sqliteStores(db);
  const { createTestDatabase } = await import('./pg.js');
  const stores = await pgStores(await createTestDatabase());
  opened.push(stores);
  return stores;
}

const opened: Stores[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** The real app on an in-memory database (or the stores given); tests call it with `app.request()`. */
export async function createTestApp(options: TestAppOptions = {}) {
  const db = options.db ?? openMemoryDatabase();
  const stores = options.stores ?? (options.db ? sqliteStores(db) : await newStores(db));
  const { pronote, ent, requests, agents } = stores;
  if (options.data) await seedDemoIfEmpty(stores);
  const actors = options.actors ?? (options.data ? dataActors({ pronote, ent }) : undefined);
  const machine = actors ? rootMachine.provide({ actors }) : rootMachine;
  const metrics = createMetrics(stores.gauges);
  const engine = createEngine({
    machine,
    store: stores.sessions,
    onAnswered: metrics.stepAnswered,
    corrections: pronote,
    ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}),
  });
  const auth = await createAuth({ agents, secureCookies: false });
  const viewer = options.viewer;
  const app = createApp({
    engine,
    content,
    logger: options.logger ?? pino({ level: 'silent' }),
    auth,
    agents,
    csrfSecret: 'test-secret',
    publicUrl: TEST_PUBLIC_URL,
    ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}),
    ...(options.publicPostsPerMinute ? { publicPostsPerMinute: options.publicPostsPerMinute } : {}),
    ...(options.pageViewsPerMinute ? { pageViewsPerMinute: options.pageViewsPerMinute } : {}),
    pronote,
    ent,
    requests,
    stats: stores.stats,
    rates: stores.rates,
    checks: stores.checks,
    ...(options.verify ? { verify: options.verify } : {}),
    readiness: stores.readiness,
    metrics,
    metricsAccess: options.metricsAccess ?? {},
    ...(viewer ? { viewerOf: () => viewer } : {}),
    ...(options.cas ? { cas: options.cas } : {}),
    ...(options.ticketSystems ? { ticketSystems: options.ticketSystems } : {}),
    ...(options.branding ? { branding: options.branding } : {}),
  });
  const json = async (path: string, body?: unknown, init: RequestInit = {}) => {
    const res = await app.request(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      // biome-ignore lint/suspicious/noExplicitAny: tests read deep into the view model they just asked for
      body: (await res.json()) as Record<string, unknown> & { view?: any; step?: string; id?: string },
    };
  };
  return {
    app,
    engine,
    db,
    stores,
    agents,
    auth,
    pronote,
    ent,
    requests,
    json,
    browser: () => createBrowser(app),
  };
}

/**
 * A minimal browser over `app.request()`: keeps cookies, and fills each form post with the CSRF token of
 * the last page it loaded, as a real form would carry it.
 */
export function createBrowser(app: Pick<Hono<AppEnv>, 'request'>) {
  const cookies = new Map<string, string>();
  let token = '';
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (name) cookies.set(name.trim(), rest.join('='));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const request = async (path: string, init: RequestInit = {}) => {
    const res = await app.request(path, {
      ...init,
      headers: { Cookie: cookieHeader(), ...(init.headers ?? {}) },
    });
    remember(res);
    const text = await res.text();
    const found = /name="_csrf" value="([^"]+)"/.exec(text);
    if (found?.[1]) token = found[1];
    return { status: res.status, text, headers: res.headers };
  };
  return {
    cookies,
    get: (path: string, headers: Record<string, string> = {}) => request(path, { headers }),
    post: (path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
      const body = new URLSearchParams();
      body.append('_csrf', token);
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
      return request(path, { method: 'POST', body, headers });
    },
    /** A multipart form, as a file upload sends it. */
    postMultipart: (path: string, form: FormData, headers: Record<string, string> = {}) => {
      form.append('_csrf', token);
      return request(path, { method: 'POST', body: form, headers });
    },
  };
}

export const AGENT: Viewer = { kind: 'agent', name: 'agent.test', admin: false, schools: 'all' };

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
