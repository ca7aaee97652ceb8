import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSchool } from '../../src/formats/school-import.js';
import { axeViolations, type Site, screenshot, startSite } from './harness.js';
import { Walker } from './walks.js';

let site: Site;
const SLOW = 90_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** A school whose names and logins are as long as real ones get, one login without a single break. */
const UAI = '0139999Z';
const UNBROKEN = 'hubertwolfeschlegelsteinhausenbergerdorffschmidtvonlauraguais';
const lines = (rows: string[]) => Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf8');

beforeAll(async () => {
  site = await startSite();
  await importSchool(site.stores, {
    uai: UAI,
    name: 'Lycée polyvalent régional Marie-Christine-Alexandrine de La Tour-d’Auvergne-Lauraguais',
    replace: false,
    pronote: [
      {
        path: 'eleves.csv',
        profile: 'eleve',
        bytes: lines([
          'Nom;Prénom;Né(e) le;Classe;Identifiant CAS',
          'DE LA TOUR-D’AUVERGNE-LAURAGUAIS-MONTMORENCY;Marie-Christine-Alexandrine;03/04/2010;2NDE-GT-EUROPEENNE;',
          `WOLFESCHLEGELSTEINHAUSENBERGERDORFFSCHMIDT;Hubert;01/02/2010;2NDE;${UNBROKEN}`,
          'VAN DER BRUGGEN-OUEDRAOGO-NGUYEN;Jean-Baptiste-Emmanuel;05/06/2010;2NDE;',
        ]),
      },
    ],
    ent: {
      path: 'ent.csv',
      bytes: lines([
        'login;nom;prenom;dateNaissance;profils;uai',
        `marie-christine-alexandrine.de-la-tour-dauvergne-lauraguais-montmorency;DE LA TOUR-D’AUVERGNE-LAURAGUAIS-MONTMORENCY;Marie-Christine-Alexandrine;04/03/2010;National_1;${UAI}`,
        `${UNBROKEN}2;WOLFESCHLEGELSTEINHAUSENBERGERDORFFSCHMIDT;Hubert;01/02/2010;National_1;${UAI}`,
        `jeanbaptisteemmanuelvanderbruggenouedraogonguyen;VAN DER BRUGGEN-OUEDRAOGO-NGUYEN;Jean-Baptiste-Emmanuel;05/06/2011;National_1;${UAI}`,
      ]),
    },
  });
});
afterAll(async () => {
  await site?.close();
});

/** How far the page, and each table's scrolling box, reach beyond their width. */
const overflow = (page: Page) =>
  page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      tables: [...document.querySelectorAll('.table-scroll')]
        .map((box) => ({ name: box.getAttribute('aria-label'), by: box.scrollWidth - box.clientWidth }))
        .filter((t) => t.by > 0),
    };
  });

describe('reconciliation and statistics tables on a 1280 px screen', { timeout: SLOW }, () => {
  for (const js of [true, false]) {
    it(`fit the width with long names and logins, ${js ? 'with' : 'without'} JavaScript`, async () => {
      const context = await site.context({ viewport: DESKTOP, javaScriptEnabled: js });
      const page = await site.agentPage(context);
      // One session, so that the statistics have a table of steps too.
      await new Walker(page, { js }).start(/Un parent n.a pas accès/, '0130001A');
      for (const path of [`/reconciliation/${UAI}`, '/reconciliation/0130001A', '/stats']) {
        await page.goto(path);
        expect(await overflow(page), path).toEqual({ page: 0, tables: [] });
        expect(await (js ? axeViolations(page) : site.axeWithoutScripts(page)), path).toEqual([]);
        await screenshot(page, `layout/${js ? 'js' : 'no-js'}${path}`);
      }
      await page.goto(`/reconciliation/${UAI}`);
      // The long values are all there, broken across lines rather than cut.
      expect(await page.getByRole('table', { name: /comptes à examiner/ }).textContent()).toContain(
        `${UNBROKEN}2`,
      );
      await page.goto('/stats');
      expect(await page.getByRole('table', { name: /Sessions à chaque étape/ }).count()).toBe(1);
      await context.close();
    });
  }
});

describe('the agent menu', { timeout: SLOW }, () => {
  const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu principal' });
  const toggle = (page: Page) => page.locator('.site-menu > summary');

  for (const js of [true, false]) {
    it(`on a phone is closed until opened, then its links are reached by keyboard, ${
      js ? 'with' : 'without'
    } JavaScript`, async () => {
      const context = await site.context({
        viewport: PHONE,
        isMobile: true,
        hasTouch: true,
        javaScriptEnabled: js,
      });
      const page: Page = await site.agentPage(context);
      await page.goto('/audit');
      expect(await toggle(page).isVisible()).toBe(true);
      expect(await toggle(page).textContent()).toBe('Menu');
      expect(await menu(page).getByRole('link', { name: 'Journal' }).isVisible()).toBe(false);
      expect(await (js ? axeViolations(page) : site.axeWithoutScripts(page))).toEqual([]);
      await screenshot(page, `layout/menu-${js ? 'js' : 'no-js'}-closed`);

      // From the top of the page: the keyboard reaches « Menu » and opens it.
      let onToggle = false;
      for (let i = 0; i < 6 && !onToggle; i++) {
        await page.keyboard.press('Tab');
        onToggle = await page.evaluate(() => document.activeElement?.tagName === 'SUMMARY');
      }
      expect(onToggle).toBe(true);
      await page.keyboard.press('Enter');
      expect(await menu(page).getByRole('link', { name: 'Journal' }).isVisible()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Accueil');
      expect(await (js ? axeViolations(page) : site.axeWithoutScripts(page))).toEqual([]);
      await screenshot(page, `layout/menu-${js ? 'js' : 'no-js'}-open`);

      await menu(page).getByRole('link', { name: 'Statistiques' }).click();
      await page.waitForURL('**/stats');
      expect(await menu(page).getByRole('link', { name: 'Statistiques' }).isVisible()).toBe(false);
      await context.close();
    });
  }

  it('on a desktop shows every link in the header, with no « Menu » to open', async () => {
    const context: BrowserContext = await site.context({ viewport: DESKTOP });
    const page = await site.agentPage(context);
    await page.goto('/audit');
    expect(await toggle(page).isVisible()).toBe(false);
    for (const name of ['Accueil', 'Journal', 'Réconciliation', 'Statistiques', 'Mon compte'])
      expect(await menu(page).getByRole('link', { name }).isVisible(), name).toBe(true);
    const [top, bottom] = await page.evaluate(() => {
      const header = document.querySelector('.site-header')?.getBoundingClientRect();
      return [header?.top ?? 0, header?.bottom ?? 0];
    });
    // The links sit in the header, one line under the service's name.
    expect(bottom - top).toBeLessThan(160);
    await context.close();
  });
});
