import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type Site, startSite } from './harness.js';
import { Walker } from './walks.js';

/** What an end user on a phone reads at the steps where they act, with and without JavaScript. */

let site: Site;
const SLOW = 90_000;

beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

for (const js of [true, false]) {
  describe(`an end user on a phone, ${js ? 'with' : 'without'} JavaScript`, { timeout: SLOW }, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await site.context({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } });
      page = await context.newPage();
    });
    afterAll(async () => {
      await context.close();
    });
    const axe = () => (js ? axeViolations(page) : site.axeWithoutScripts(page));

    it('reads the identity form’s rule before its fields, and an empty form flags no optional field', async () => {
      const w = new Walker(page, { js });
      expect(await w.start(/Identification impossible/)).toBe('auth-error.identify');
      const form = page.locator('#conversation form').first();
      const order = await form.evaluate((f) =>
        [...f.querySelectorAll('.form-rule, input[type="text"]')].map((e) => e.className || 'input'),
      );
      expect(order[0]).toBe('form-rule');
      expect(await form.locator('.form-rule').textContent()).toMatch(/nom et le prénom/);

      await page.getByRole('button', { name: /Continuer/ }).click();
      await page.locator('#conversation [role="alert"]').first().waitFor();
      expect(await page.locator('#conversation').textContent()).toMatch(/Indiquez l.identifiant ENT/);
      // Every field is optional on its own: none is marked as the one in error.
      expect(await page.locator('#conversation [aria-invalid="true"]').count()).toBe(0);
      expect(await axe()).toEqual([]);
    });

    it('asks for help with a clear label, and the end page offers a new problem and says to keep its link', async () => {
      const w = new Walker(page, { js });
      expect(await w.start(/Identification impossible/)).toBe('auth-error.identify');
      expect(await page.getByRole('button', { name: /Je n.y arrive pas/ }).count()).toBe(0);
      expect(await w.press(/Demander de l.aide à mon établissement/)).toBe('auth-error.escalate');
      expect(await page.locator('#conversation').textContent()).toMatch(/gardez son lien/);
      expect(await page.getByRole('link', { name: 'Nouveau problème' }).getAttribute('href')).toBe('/');
      expect(await page.locator('footer').textContent()).toMatch(/se connecter à PRONOTE depuis l.ENT/);
      expect(await axe()).toEqual([]);
    });

    it('never reads a masculine-only « bloqué » nor « Je n’y arrive pas » on the way to « C’est réglé »', async () => {
      const w = new Walker(page, { js });
      const seen: string[] = [];
      const read = async () => seen.push((await page.locator('main').textContent()) ?? '');
      expect(await w.start(/Identification impossible/)).toBe('auth-error.identify');
      await read();
      await w.fill(/Nom affiché/, 'Martin');
      await w.fill(/Prénom affiché/, 'Léa');
      expect(await w.press(/Continuer/)).toBe('auth-error.ask-compare');
      // The history says what was given, not which button was pressed; and never the name typed.
      const answer = await page.locator('.transcript .answer').last().textContent();
      expect(answer).toMatch(/Informations de la page d.erreur indiquées/);
      expect(answer).not.toMatch(/Continuer|Martin/);
      await read();
      expect(await w.press(/Oui, tout est exact/)).toBe('auth-error.fix-cas-id-manual');
      await read();
      expect(await w.press(/L.établissement a fait le lien/)).toBe('auth-error.confirm-link');
      await read();
      expect(await w.press(/Oui, ça fonctionne/)).toBe('auth-error.resolved');
      await read();
      for (const text of seen) {
        expect(text).not.toMatch(/\bbloqué\b/);
        expect(text).not.toMatch(/n.y arrive pas/);
      }
      expect(await page.getByRole('link', { name: 'Nouveau problème' }).count()).toBe(1);
    });
  });
}

describe('the browser tab', { timeout: SLOW }, () => {
  it('follows the step after an htmx swap', async () => {
    const context = await site.context();
    const page = await context.newPage();
    const w = new Walker(page, { js: true });
    await w.start(/Identification impossible/);
    await w.fill(/Nom affiché/, 'Martin');
    await w.fill(/Prénom affiché/, 'Léa');
    expect(await w.press(/Continuer/)).toBe('auth-error.ask-compare');
    const title = (await page.locator('#step-title').textContent())?.trim() ?? '';
    await expect.poll(() => page.title()).toBe(`${title} — Assistant de connexion ENT–PRONOTE`);
    await context.close();
  });
});
