import type { Database } from 'better-sqlite3';
import type { Hono } from 'hono';
import pino, { type Logger } from 'pino';
import { rootMachine } from '../../flows/root.machine.js';
import type { flowActors } from '../../flows/setup.js';
import { seedDemoIfEmpty } from '../../src/cli/seed-demo.js';
import { dataActors } from '../../src/engine/checks/data-actors.js';
import { loadContent } from '../../src/engine/content.js';
import { createEngine } from '../../src/engine/session-engine.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite.js';
import { sqlitePronote } from '../../src/pronote/sqlite.js';
import type { AppEnv } from '../../src/server/app.js';
import { createApp } from '../../src/server/app.js';
import { createAuth } from '../../src/server/auth.js';
import type { CasConfig } from '../../src/server/cas.js';
import type { TicketSystems } from '../../src/server/ticket-systems/index.js';
import type { Viewer } from '../../src/server/viewer.js';
import { sqliteAgentStore } from '../../src/store/agents-sqlite.js';
import { openMemoryDatabase } from '../../src/store/database.js';
import { sqliteHelpRequests } from '../../src/store/help-requests.js';
import { sqliteSessionStore } from '../../src/store/sessions-sqlite.js';

export const content = loadContent();

export interface TestAppOptions {
  actors?: Partial<typeof flowActors>;
  /** Seed the demo schools and run the checks and fixes against them. */
  data?: boolean;
  db?: Database;
  /** A fixed viewer for every request, instead of signing in. */
  viewer?: Viewer;
  publicPostsPerMinute?: number;
  /** Optional integrations, as start-up builds them from the environment. */
  cas?: CasConfig;
  ticketSystems?: TicketSystems;
  /** To read what the app logs (silent by default). */
  logger?: Logger;
}

/** The real app on an in-memory database; tests call it with `app.request()`. */
export function createTestApp(options: TestAppOptions = {}) {
  const db = options.db ?? openMemoryDatabase();
  const pronote = sqlitePronote(db);
  const ent = sqliteEntDirectory(db);
  if (options.data) seedDemoIfEmpty(db);
  const actors = options.actors ?? (options.data ? dataActors({ pronote, ent }) : undefined);
  const machine = actors ? rootMachine.provide({ actors }) : rootMachine;
  const requests = sqliteHelpRequests(db);
  const engine = createEngine({ machine, store: sqliteSessionStore(db) });
  const agents = sqliteAgentStore(db);
  const auth = createAuth({ agents, secureCookies: false });
  const viewer = options.viewer;
  const app = createApp({
    engine,
    content,
    logger: options.logger ?? pino({ level: 'silent' }),
    auth,
    agents,
    csrfSecret: 'test-secret',
    ...(options.publicPostsPerMinute ? { publicPostsPerMinute: options.publicPostsPerMinute } : {}),
    pronote,
    ent,
    requests,
    db,
    ...(viewer ? { viewerOf: () => viewer } : {}),
    ...(options.cas ? { cas: options.cas } : {}),
    ...(options.ticketSystems ? { ticketSystems: options.ticketSystems } : {}),
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
  return { app, engine, db, agents, auth, pronote, ent, requests, json, browser: () => createBrowser(app) };
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
  };
}

export const AGENT: Viewer = { kind: 'agent', name: 'agent.test', admin: false, schools: 'all' };
