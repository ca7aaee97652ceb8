import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { axeViolations, type Site, screenshot, startSite } from './harness.js';
import { Walker } from './walks.js';

/**
 * A region's helpdesk runs the assistant under its own name, logo and accent colour: every page shows them,
 * with and without JavaScript, and axe still finds nothing (the accent's contrast is checked at start-up).
 */
const NAME = 'Assistance numérique de la région';
const ACCENT = '#0b6e4f';
const ACCENT_RGB = 'rgb(11, 110, 79)';
const SLOW = 90_000;

let site: Site;
const dir = mkdtempSync(join(tmpdir(), 'assistant-brand-e2e-'));

beforeAll(async () => {
  const logo = join(dir, 'region.svg');
  writeFileSync(
    logo,
    '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40" viewBox="0 0 80 40"><rect width="80" height="40" rx="6" fill="#0b6e4f"/></svg>',
  );
  site = await startSite({ SERVICE_NAME: NAME, SERVICE_LOGO: logo, ACCENT_COLOR: ACCENT });
});
afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The name, the logo (loaded, not a broken image) and the accent, as the person sees them. */
async function expectBranded(page: Page) {
  const header = page.getByRole('banner');
  expect(await header.locator('.brand-name').textContent()).toBe(NAME);
  expect(await page.title()).toMatch(new RegExp(` — ${NAME}$`));
  expect(await page.getByRole('contentinfo').textContent()).toContain(NAME);
  const logo = header.locator('img.brand-logo');
  expect(await logo.isVisible()).toBe(true);
  expect(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  // The header's rule is drawn in the accent colour.
  expect(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).borderTopColor)).toBe(
    ACCENT_RGB,
  );
}

for (const js of [true, false]) {
  describe(`a branded instance, JavaScript ${js ? 'on' : 'off'}`, { timeout: SLOW }, () => {
    it('shows its name, logo and accent on the home page, and axe finds no violation', async () => {
      const context = await site.context({ javaScriptEnabled: js });
      const page = await context.newPage();
      await page.goto('/');
      await expectBranded(page);
      expect(js ? await axeViolations(page) : await site.axeWithoutScripts(page)).toEqual([]);
      await screenshot(page, `branding/home-${js ? 'js' : 'no-js'}`);
      await context.close();
    });

    it('keeps them through a flow: buttons in the accent, the tab titled « step — name »', async () => {
      const context = await site.context({ javaScriptEnabled: js });
      const page = await site.agentPage(context);
      const w = new Walker(page, { js });
      await w.start(/Identification impossible/, DEMO_CASES.uai);
      await w.fill('Identifiant ENT', DEMO_CASES.dateSwapped.login);
      expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
      await expectBranded(page);
      const title = (await page.locator('#step-title').textContent())?.trim() ?? '';
      expect(await page.title()).toBe(`${title} — ${NAME}`);
      // The recommended fix is a filled button: white text on the accent.
      const recommended = page.locator('#conversation button.recommended').first();
      expect(await recommended.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe(ACCENT_RGB);
      expect(js ? await axeViolations(page) : await site.axeWithoutScripts(page)).toEqual([]);
      await screenshot(page, `branding/choose-fix-${js ? 'js' : 'no-js'}`);
      await context.close();
    });
  });
}
