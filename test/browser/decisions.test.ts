import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { axeViolations, type Site, startSite } from './harness.js';
import { Walker } from './walks.js';

/**
 * The steps where a person has to decide, on a phone-sized screen, with and without JavaScript: what the
 * step recommends, what it names, what it has already chosen.
 */

let site: Site;
const SLOW = 90_000;
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const axe = (page: Page, js: boolean) => (js ? axeViolations(page) : site.axeWithoutScripts(page));

for (const js of [true, false]) {
  describe(`deciding at a step, ${js ? 'with' : 'without'} JavaScript, on a 390 px screen`, {
    timeout: SLOW,
  }, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await site.context({ javaScriptEnabled: js, viewport: PHONE });
      page = await site.agentPage(context);
    });
    afterAll(async () => {
      await context.close();
    });

    it('the comparison names the difference, recommends one fix first, and shows every column', async () => {
      const w = new Walker(page, { js });
      await w.start(/Identification impossible/, DEMO_CASES.uai);
      await w.fill('Identifiant ENT', DEMO_CASES.homonyms.logins[0]);
      expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
      const table = page.getByRole('table', { name: /Comparaison champ par champ/ });
      // Every cell of every row lies inside the screen: nothing to scroll sideways to.
      const boxes = await table.locator('td').evaluateAll((cells) =>
        cells.map((c) => {
          const r = c.getBoundingClientRect();
          return { left: r.left, right: r.right, label: c.getAttribute('data-label') };
        }),
      );
      expect(boxes.length).toBeGreaterThanOrEqual(9);
      for (const b of boxes) {
        expect(b.left, String(b.label)).toBeGreaterThanOrEqual(0);
        expect(b.right, String(b.label)).toBeLessThanOrEqual(PHONE.width);
      }
      expect(await table.textContent()).not.toMatch(/Proche/);
      const first = page.locator('.choices button').first();
      expect(await first.textContent()).toMatch(/recommandé/);
      expect(await page.locator('.advice').textContent()).toMatch(/Recommandé/);
      // « Copier » needs script to reach the clipboard: offered with JavaScript only.
      const copy = page.locator('button[data-copy="#ticket-summary"]');
      expect(await copy.evaluate((b) => b.hasAttribute('hidden'))).toBe(!js);
      expect(await axe(page, js)).toEqual([]);
    });

    it('opening a parent’s access shows the pupils, the other responsables and what to check first', async () => {
      const w = new Walker(page, { js });
      await w.start(/Un parent n.a pas accès/, DEMO_CASES.uai);
      await w.fill(/Nom du responsable/, 'Bossard');
      expect(await w.press(/Rechercher le responsable/)).toBe('single-parent.select');
      await w.check(/BOSSARD.*Robert/);
      expect(await w.press(/Vérifier son accès/)).toBe('single-parent.offer-grant');
      const step = (await page.locator('#conversation').textContent()) ?? '';
      expect(step).toMatch(/Responsable de\u00a0:.*BOSSARD/s);
      expect(step).toMatch(/responsable légal/);
      expect(step).toMatch(/un compte PRONOTE par foyer/);
      expect(await axe(page, js)).toEqual([]);
    });

    it('a manual search finding one account: said in the singular, the account already chosen', async () => {
      const w = new Walker(page, { js });
      await w.start(/Identification impossible/, DEMO_CASES.uai);
      await w.fill('Nom', 'Zorglub');
      await w.fill('Prénom', 'Anatole');
      expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.not-found');
      await w.fill(/Nom, prénom ou identifiant/, 'Laurence');
      expect(await w.press(/Chercher la fiche à la main/)).toBe('auth-error.choose-account');
      expect(await page.locator('#step-title').textContent()).toMatch(/^Une fiche correspond/);
      expect(await page.locator('#conversation input[type="radio"]').isChecked()).toBe(true);
      // Nothing to pick: the button goes straight on to the comparison.
      expect(await w.press(/Comparer avec cette fiche/)).toBe('auth-error.choose-fix');
      expect(await page.getByRole('table', { name: /Comparaison/ }).textContent()).toMatch(
        /Entièrement différent/,
      );
      expect(await axe(page, js)).toEqual([]);
    });
  });
}
