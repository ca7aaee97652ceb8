import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageTypographyFaults } from '../helpers/french.js';
import { type Site, screenshot, startSite } from './harness.js';
import { AGENT_CASES, Walker } from './walks.js';

let site: Site;
let context: BrowserContext;
let page: Page;
let checked = 0;
/** A browser walk takes a few seconds; give a loaded machine room. */
const SLOW = 90_000;
const requests: string[] = [];

beforeAll(async () => {
  site = await startSite();
  context = await site.context({ javaScriptEnabled: false });
  page = await site.agentPage(context);
  page.on('request', (r) => {
    if (r.headers()['hx-request']) requests.push(r.url());
  });
});
afterAll(async () => {
  console.info(`no-javascript: axe found no violation on ${checked} steps`);
  await site?.close();
});

describe('an agent without JavaScript follows each planted case to the end, page after page', {
  timeout: SLOW,
}, () => {
  for (const c of AGENT_CASES) {
    it(c.title, async () => {
      const w = new Walker(page, {
        js: false,
        onStep: async (step) => {
          expect(await site.axeWithoutScripts(page), step).toEqual([]);
          expect(pageTypographyFaults(await page.content()), step).toEqual([]);
          checked++;
          await screenshot(page, `agent-no-js/${c.flow}/${step}`);
        },
      });
      await c.walk(w, (step, wanted) => expect(step).toBe(wanted));
      expect(await page.locator('#conversation .status-resolved').count()).toBe(1);
    });
  }

  it('never sent a request the htmx way: every answer was a plain form post', () => {
    expect(requests).toEqual([]);
  });

  it('a refused answer comes back as the same form with the message, and nothing is lost', async () => {
    const w = new Walker(page, { js: false });
    await w.start(/Identification impossible/, '0130001A');
    await w.fill('Nom', 'Dupont');
    await page.getByRole('button', { name: /Comparer l.ENT et PRONOTE/ }).click();
    await page.waitForLoadState();
    // A last name alone is not enough: the form comes back with what was typed.
    expect(await page.getByRole('alert').first().textContent()).toBeTruthy();
    expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe('Dupont');
    expect(await site.axeWithoutScripts(page)).toEqual([]);
    checked++;
  });
});
