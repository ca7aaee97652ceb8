import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { serve } from '@hono/node-server';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { createAuth } from '../../src/server/auth.js';
import { readConfig } from '../../src/server/config.js';
import { startServices } from '../../src/server/start.js';

/** Debian's chromium package: never a browser downloaded by Playwright. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The rules the pages must pass: RGAA 4 follows WCAG 2.1 levels A and AA. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Another agent than the default one: its name, its schools, whether it administers. */
export interface AgentOptions {
  name: string;
  schools?: 'all' | string[];
  admin?: boolean;
}

export interface Site {
  /** `http://127.0.0.1:<port>` */
  base: string;
  browser: Browser;
  /** The server's stores, for a test that loads a school of its own. */
  stores: Awaited<ReturnType<typeof startServices>>['stores'];
  /** A new browser context (its own cookies), JavaScript on unless told otherwise. */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page signed in as an agent allowed on every school (created on first use), or as the agent described. */
  agentPage(context: BrowserContext, as?: AgentOptions): Promise<Page>;
  /**
   * The axe check of a page shown without JavaScript. axe needs script to run, so the page's HTML is served
   * again, at the same address and with its styles but none of its scripts, in a page where axe may run.
   */
  axeWithoutScripts(page: Page): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The real server on 127.0.0.1 (free port, fresh data folder with the demo schools) and one headless
 * Chromium for the whole test file.
 */
export async function startSite(env: Record<string, string> = {}): Promise<Site> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's package (apt-get install chromium), as .ci/run does`,
    );
  }
  process.env.LOG_LEVEL ??= 'silent';
  const dataDir = mkdtempSync(join(tmpdir(), 'assistant-e2e-'));
  // The server listens first, on a free port, so that PUBLIC_URL (which CAS service URLs are built from) is
  // its real address; requests reach the app once it is built.
  let fetchApp: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response(null, { status: 503 });
  // The connection (env) goes through too: the app reads the client's address from it.
  const server = serve({
    fetch: (request, env) => fetchApp(request, env),
    hostname: '127.0.0.1',
    port: 0,
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  // No integration settings from the environment: CAS or ticket systems would change the pages. A test file
  // that wants one (a CAS peer) gives it in `env`.
  const { app, stores } = await startServices(
    readConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL,
      PORT: String(port),
      PUBLIC_URL: `${base}/`,
      ...env,
    }),
  );
  fetchApp = app.fetch;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

  const { agents } = stores;
  const auth = await createAuth({ agents, secureCookies: false });
  const AGENT = 'agent.e2e';
  let checker: Page | undefined;
  // The route handler reads the copy to serve from here.
  const copy = { url: '', body: '' };

  return {
    base,
    browser,
    stores,
    context: (options = {}) => browser.newContext({ baseURL: base, locale: 'fr-FR', ...options }),
    async agentPage(context, as = { name: AGENT }) {
      if (!(await agents.get(as.name)))
        await agents.add({ name: as.name, admin: as.admin ?? false, schools: as.schools ?? 'all' });
      const page = await context.newPage();
      await page.goto(await auth.issueSignInLink(as.name));
      await page.getByRole('button', { name: 'Me connecter' }).click();
      await page.waitForURL('**/compte');
      return page;
    },
    async axeWithoutScripts(page) {
      copy.url = page.url();
      copy.body = await page.content();
      if (!checker) {
        const context = await browser.newContext({ baseURL: base });
        checker = await context.newPage();
        await checker.route('**/*', (route) => {
          const url = route.request().url();
          if (url === copy.url)
            return route.fulfill({ body: copy.body, contentType: 'text/html; charset=utf-8' });
          if (url.endsWith('.js')) return route.abort();
          return route.continue();
        });
      }
      await checker.goto(copy.url);
      return axeViolations(checker);
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The axe check with the WCAG 2.1 A and AA rules; returns the violations, each told in one line. */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(AXE_TAGS)
    .options({ resultTypes: ['violations'] })
    // Our pages have no frames: axe runs in the page itself, without opening a blank page to merge results.
    .setLegacyMode()
    .analyze();
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Screenshots are test artefacts under test-results/ (not committed). */
export async function screenshot(page: Page, file: string): Promise<void> {
  const path = join('test-results', 'browser', `${file}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
}

/** The step on screen and its number, as the conversation panel carries them. */
export async function currentStep(page: Page): Promise<{ step: string; seq: number }> {
  const panel = page.locator('#conversation');
  return {
    step: (await panel.getAttribute('data-step')) ?? '',
    seq: Number(await panel.getAttribute('data-seq')),
  };
}

/**
 * Does something that answers the current step, then waits until the next step is on screen: with htmx the
 * URL is pushed and the panel swapped; without JavaScript the form posts and the browser follows the 303.
 */
export async function answer(page: Page, act: () => Promise<void>): Promise<{ step: string; seq: number }> {
  const before = new URL(page.url()).pathname;
  await act();
  await page.waitForURL((url) => url.pathname !== before);
  const seq = /^\/s\/[\w-]+\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1];
  if (!seq) throw new Error(`not a step's address: ${page.url()}`);
  await page.locator(`#conversation[data-seq="${seq}"]`).waitFor();
  return currentStep(page);
}
