import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageTypographyFaults } from '../helpers/french.js';
import { axeViolations, type Site, screenshot, startSite } from './harness.js';
import { AGENT_CASES, type Arrival, Walker } from './walks.js';

let site: Site;
let context: BrowserContext;
let page: Page;
let checked = 0;
/** A browser walk takes a few seconds; give a loaded machine room. */
const SLOW = 90_000;

beforeAll(async () => {
  site = await startSite();
  context = await site.context();
  page = await site.agentPage(context);
});
afterAll(async () => {
  console.info(`agent-flows: axe found no violation on ${checked} steps`);
  await site?.close();
});

/**
 * On every step: no axe violation, French typography in the page as swapped in, and after an htmx swap the
 * focus on the new step's title.
 */
const checkStep = (name: string) => async (step: string, arrival: Arrival) => {
  if (arrival === 'swap') {
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('step-title');
  }
  expect(await axeViolations(page), step).toEqual([]);
  expect(pageTypographyFaults(await page.content()), step).toEqual([]);
  checked++;
  await screenshot(page, `agent-js/${name}/${step}`);
};

describe('an agent with JavaScript follows each planted case of the demo data to the end', {
  timeout: SLOW,
}, () => {
  for (const c of AGENT_CASES) {
    it(c.title, async () => {
      const w = new Walker(page, { js: true, onStep: checkStep(c.flow) });
      await c.walk(w, (step, wanted) => expect(step).toBe(wanted));
      // The answers were swapped in place: the page was never reloaded after the first step.
      expect(await page.locator('.transcript .exchange').count()).toBe(w.steps.length - 1);
      await expect.poll(() => page.locator('#conversation .status-resolved').count()).toBe(1);
    });
  }
});

describe('what the agent sees on the way', { timeout: SLOW }, () => {
  it('the comparison of the ENT and PRONOTE identities, field by field', async () => {
    const w = new Walker(page, { js: true });
    // The first case fixed the date already: the comparison now matches, the table is still shown.
    await w.start(/Identification impossible/, '0130001A');
    await w.fill('Identifiant ENT', 'veronique.lemaitre');
    expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
    const table = page.getByRole('table', { name: /Comparaison champ par champ/ });
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(2);
    expect(await table.textContent()).toMatch(/Véronique|VERONIQUE|Veronique/);
  });

  it('a running check shows « Vérification en cours… » and is announced', async () => {
    const w = new Walker(page, { js: true });
    await w.start(/Un parent n.a pas accès/, '0130001A');
    // Hold the answer back long enough to see the indicator.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/s/*/events', async (route) => {
      await held;
      await route.continue();
    });
    await w.fill(/Nom du responsable/, 'Bossard');
    const pressed = w.press(/Rechercher le responsable/);
    const running = page.locator('#running');
    await expect.poll(() => running.isVisible()).toBe(true);
    await expect.poll(() => page.locator('#annonces').textContent()).toMatch(/Vérification en cours/);
    // hx-disable: the button cannot be pressed twice while its answer runs.
    expect(await page.getByRole('button', { name: /Rechercher le responsable/ }).isDisabled()).toBe(true);
    release();
    expect(await pressed).toBe('single-parent.select');
    await page.unroute('**/s/*/events');
    await expect.poll(() => page.locator('#annonces').textContent()).toMatch(/Quel responsable est concerné/);
  });

  it('a refused answer comes back in place, announced, without a new entry in the history', async () => {
    const w = new Walker(page, { js: true });
    await w.start(/Identification impossible/, '0130001A');
    const before = await page.evaluate(() => history.length);
    await w.fill('Nom', 'Dupont');
    await page.getByRole('button', { name: /Comparer l.ENT et PRONOTE/ }).click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByLabel('Nom', { exact: true }).inputValue()).toBe('Dupont');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('step-title');
    await expect.poll(() => page.locator('#annonces').textContent()).toMatch(/à corriger/);
    expect(await page.evaluate(() => history.length)).toBe(before);
    expect(await axeViolations(page)).toEqual([]);
    checked++;
  });

  it('an error during a swap shows its message in the page, under the same header', async () => {
    const w = new Walker(page, { js: true });
    await w.start(/Un parent n.a pas accès/, '0130001A');
    // An expired form: its CSRF token no longer matches.
    await page.locator('#conversation input[name="_csrf"]').evaluateAll((inputs) => {
      for (const input of inputs) (input as HTMLInputElement).value = 'expire';
    });
    await w.fill(/Nom du responsable/, 'Bossard');
    await page.getByRole('button', { name: /Rechercher le responsable/ }).click();
    const title = page.getByRole('heading', { level: 1, name: 'Accès refusé' });
    await title.waitFor();
    expect(await page.locator('header.site-header').count()).toBe(1);
    expect(await page.getByRole('alert').textContent()).toMatch(/formulaire a expiré/);
    await expect.poll(() => title.evaluate((h) => h === document.activeElement)).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    checked++;
  });

  it('the header shows where the agent is and the agents’ pages', async () => {
    await page.goto('/audit');
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const links = await nav.getByRole('link').allTextContents();
    expect(links).toEqual([
      'Accueil',
      'Demandes',
      'Journal',
      'Corrections',
      'Réconciliation',
      'Réglages',
      'Parcours',
      'Statistiques',
      'Mon compte',
    ]);
    expect(await nav.getByRole('link', { name: 'Journal' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(1);
    // The journal lists the fixes the four cases made.
    expect(await page.getByRole('table').first().textContent()).toMatch(/0130002B|publi/i);
    expect(await axeViolations(page)).toEqual([]);
    checked++;
  });

  it('every page of the agents’ menu passes the axe check too', async () => {
    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const paths = await nav
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    for (const path of [...paths, '/corrections/0130001A', '/flows/single-parent', '/connexion']) {
      await page.goto(path ?? '/');
      expect(await axeViolations(page), path ?? '').toEqual([]);
      checked++;
      await screenshot(page, `agent-pages${path === '/' ? '/accueil' : path}`);
    }
  });
});
